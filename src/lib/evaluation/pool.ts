import type { EvaluateOutcome, EvaluateProgress, EvaluateRequest, Evaluator, Prepared } from '../run/evaluator';
import type { RunConfig } from '../run/records';
import { defaultPoolSize, wasmThreadsFor, type DeviceSize } from '../run/poolSize';
import { WorkerEvaluator } from './workerEvaluator';

/** The device as this worker's browser reports it. */
function deviceSize(): DeviceSize {
  const nav = navigator as typeof navigator & { deviceMemory?: number };
  return { cores: nav.hardwareConcurrency || 1, memoryGb: nav.deviceMemory ?? null };
}

/**
 * A pool of training workers behind the one Evaluator interface: `evaluate` submits a candidate and resolves
 * with its result or failure; up to `Prepared.workers` run at once, each in a worker of its own with its own
 * tfjs backend. A crash, hang or lost device ends that worker's candidate only; the others go on.
 * `interrupt` cancels every candidate in flight (Pause / Stop).
 */
export class WorkerPool implements Evaluator {
  #slots: WorkerEvaluator[] = [];
  #free: WorkerEvaluator[] = [];
  #waiting: ((slot: WorkerEvaluator) => void)[] = [];

  /**
   * Starts the pool: one worker first (it probes the backends once, and the probe is kept in IndexedDB for the
   * others), then the rest. `workers` (a resumed run's), else the config's, else sized for the device.
   */
  async prepare(config: RunConfig, workers?: number): Promise<Prepared> {
    this.terminate();
    const device = deviceSize();
    const first = new WorkerEvaluator('training-1');
    let prepared = await first.prepare(config);
    const size = workers ?? config.workers ?? defaultPoolSize(device, prepared.training.backend);
    const threads = wasmThreadsFor(size, device, prepared.training.backend);
    // WASM's thread count is fixed when its backend starts: the first worker starts again with its share
    const kept = threads === undefined ? [first] : [];
    if (threads !== undefined) first.terminate();
    const added = Array.from({ length: size - kept.length }, (_, i) => new WorkerEvaluator(`training-${kept.length + i + 1}`, threads));
    const results = await Promise.all(added.map((slot) => slot.prepare(config)));
    prepared = kept.length ? prepared : results[0]!;
    this.#slots = [...kept, ...added];
    this.#free = [...this.#slots];
    return { ...prepared, workers: size };
  }

  async evaluate(request: EvaluateRequest, progress: EvaluateProgress): Promise<EvaluateOutcome> {
    const slot = this.#free.pop() ?? (await new Promise<WorkerEvaluator>((resolve) => this.#waiting.push(resolve)));
    try {
      return await slot.evaluate(request, progress);
    } finally {
      const next = this.#waiting.shift();
      if (next) next(slot);
      else this.#free.push(slot);
    }
  }

  /** Cancels every candidate in flight; each rejects with `Interrupted` and will be trained again on resume. */
  interrupt(): void {
    for (const slot of this.#slots) slot.interrupt();
  }

  terminate(): void {
    for (const slot of this.#slots) slot.terminate();
    this.#slots = [];
    this.#free = [];
  }
}
