import { wrap, type Remote } from 'comlink';
import type { BenchApi, BenchRequest, BenchTrace } from '../../../workers/bench.worker';

export type { BenchRequest, BenchTrace };

/** The page's client of the benchmark-mode worker, started on first use. */
export class BenchClient {
  #api: Remote<BenchApi> | null = null;

  run(request: BenchRequest): Promise<{ trueFront: (readonly [number, number])[]; traces: BenchTrace[] }> {
    this.#api ??= wrap<BenchApi>(new Worker(new URL('../../../workers/bench.worker.ts', import.meta.url), { type: 'module', name: 'benchmark' }));
    return this.#api.run(request);
  }
}
