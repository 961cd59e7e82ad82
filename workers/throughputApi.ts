/// <reference lib="webworker" />
import { evaluateAll, type ThroughputResult } from '../src/lib/evaluation/throughput';
import { WorkerPool } from '../src/lib/evaluation/pool';
import type { CnnGenome } from '../src/lib/genome/types';
import type { RunConfig } from '../src/lib/records';

/** The search worker's benchmark calls (npm run bench:throughput): a fixed list of genomes through a fresh pool. */
export const throughputApi = {
  /** `workers` absent: the pool a search would size for this device. */
  async benchThroughput(config: RunConfig, genomes: readonly CnnGenome[], workers?: number): Promise<ThroughputResult> {
    const pool = new WorkerPool();
    try {
      return await evaluateAll(pool, config, genomes, workers, () => performance.now());
    } finally {
      pool.terminate();
    }
  },
};
