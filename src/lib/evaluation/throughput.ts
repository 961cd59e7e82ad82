import { deriveSeed } from '../core/rng';
import type { CnnGenome } from '../genome/types';
import { limitsFor } from '../run/config';
import type { EvaluateOutcome, Evaluator } from '../run/evaluator';
import type { RunConfig } from '../records';

/** How a fixed list of genomes went through a pool: wall time of the evaluations and each one's figures. */
export interface ThroughputResult {
  readonly workers: number;
  /** Seconds from the first candidate submitted to the last result (the pool started before). */
  readonly seconds: number;
  /** Seconds to start the pool: workers, backends, data (and the backend probe, the first time). */
  readonly prepareSeconds: number;
  readonly backend: string;
  readonly trainedOn: string;
  readonly candidates: readonly {
    readonly ok: boolean;
    readonly accuracy: number;
    readonly trainMs: number;
    readonly measureMs: number;
    readonly latencyMs: number;
  }[];
}

const summary = (o: EvaluateOutcome) =>
  o.ok
    ? { ok: true, accuracy: o.evaluation.accuracy, trainMs: o.evaluation.trainMs, measureMs: o.evaluation.measureMs, latencyMs: o.evaluation.latency.medianMs }
    : { ok: false, accuracy: NaN, trainMs: 0, measureMs: 0, latencyMs: NaN };

/**
 * Trains and measures `genomes` as a search with `config` would (same data split, budgets, seeds by position,
 * latency protocol), keeping every worker of the pool busy, and times it: the throughput benchmark's core.
 */
export async function evaluateAll(
  evaluator: Evaluator,
  config: RunConfig,
  genomes: readonly CnnGenome[],
  workers: number | undefined,
  now: () => number,
): Promise<ThroughputResult> {
  const started = now();
  const prepared = await evaluator.prepare(config, workers);
  const size = prepared.workers ?? 1;
  const d = prepared.dataset;
  const limits = limitsFor(config, { height: d.height, width: d.width, channels: d.channels, classes: d.classNames.length }, d.trainImages);
  const begin = now();
  const outcomes: EvaluateOutcome[] = new Array(genomes.length);
  let next = 0;
  const work = async () => {
    while (next < genomes.length) {
      const seq = next++;
      const request = { genome: genomes[seq]!, limits, seed: deriveSeed(config.seed, seq), latencyRuns: config.latencyRuns };
      outcomes[seq] = await evaluator.evaluate(request, { onBatch: () => {}, onEpoch: () => {} });
    }
  };
  await Promise.all(Array.from({ length: size }, work));
  return {
    workers: size,
    seconds: (now() - begin) / 1000,
    prepareSeconds: (begin - started) / 1000,
    backend: prepared.backend.name,
    trainedOn: prepared.training.backend,
    candidates: outcomes.map(summary),
  };
}
