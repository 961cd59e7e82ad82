import type { EvaluateOutcome, EvaluateProgress, EvaluateRequest, Evaluator, Prepared } from '../run/evaluator';
import type { RunConfig } from '../records';
import { defaultPoolSize, wasmThreadsFor, type DeviceSize } from '../run/poolSize';
import { WorkerEvaluator } from './workerEvaluator';
import { quietBuffer, releaseSlot } from './quiet';
import { sharedReadingsBuffer } from '../measure/speedReference';

/** Longer than a terminated worker takes to stop running. */
const WORKER_STOP_MS = 1_000;

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
  /** Quiet measurement (quiet.ts): latency is timed while the other workers wait. */
  #quiet: SharedArrayBuffer | null = null;
  /** The speed reference's readings over every worker: one usual speed, so one network reads alike in each. */
  #speedReadings: SharedArrayBuffer | null = null;
  #free: WorkerEvaluator[] = [];
  #waiting: ((slot: WorkerEvaluator) => void)[] = [];

  /** `watchdogMs`: the silence that ends a candidate as hung (a fault-injection test shortens it). */
  constructor(private readonly watchdogMs?: number) {}

  /**
   * Starts the pool: one worker first (it probes the backends once, and the probe is kept in IndexedDB for the
   * others), then the rest. `workers` (a resumed run's), else the config's, else sized for the device.
   */
  async prepare(config: RunConfig, workers?: number): Promise<Prepared> {
    this.terminate();
    const device = deviceSize();
    const first = new WorkerEvaluator('training-1', undefined, undefined, this.watchdogMs);
    let prepared = await first.prepare(config);
    const size = workers ?? config.workers ?? defaultPoolSize(device, prepared.training.backend);
    const threads = wasmThreadsFor(size, device, prepared.training.backend);
    this.#quiet = size > 1 ? quietBuffer(size) : null;
    this.#speedReadings = size > 1 ? sharedReadingsBuffer() : null;
    // the first worker starts again with its share of the cores (WASM's thread count is fixed when its backend
    // starts) and its part in quiet measurement
    const kept = threads === undefined && !this.#quiet ? [first] : [];
    if (kept.length === 0) first.terminate();
    const added = Array.from(
      { length: size - kept.length },
      (_, i) =>
        new WorkerEvaluator(
          `training-${kept.length + i + 1}`,
          threads,
          { quiet: this.#quiet, slot: kept.length + i, speedReadings: this.#speedReadings },
          this.watchdogMs,
        ),
    );
    const results = await Promise.all(added.map((slot) => slot.prepare(config)));
    prepared = kept.length ? prepared : results[0]!;
    this.#slots = [...kept, ...added];
    this.#free = [...this.#slots];
    return { ...prepared, workers: size };
  }

  async evaluate(request: EvaluateRequest, progress: EvaluateProgress): Promise<EvaluateOutcome> {
    const slot = this.#free.pop() ?? (await new Promise<WorkerEvaluator>((resolve) => this.#waiting.push(resolve)));
    const index = this.#slots.indexOf(slot);
    try {
      const outcome = await slot.evaluate(request, progress);
      // a worker terminated for a crash or hang may still run a moment: free its cells again once it has stopped
      if (!outcome.ok) setTimeout(() => this.#free.includes(slot) && releaseSlot(this.#quiet, index), WORKER_STOP_MS);
      return outcome;
    } finally {
      releaseSlot(this.#quiet, index); // a crashed or cancelled worker holds no one up
      const next = this.#waiting.shift();
      if (next) next(slot);
      else this.#free.push(slot);
    }
  }

  /** Live tensors and bytes summed over the pool's running training workers (for the soak check). */
  async memory(): Promise<{ numTensors: number; numBytes: number; workers: number }> {
    const each = (await Promise.all(this.#slots.map((s) => s.memory().catch(() => null)))).filter((m) => m !== null);
    return { numTensors: each.reduce((n, m) => n + m.numTensors, 0), numBytes: each.reduce((n, m) => n + m.numBytes, 0), workers: each.length };
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
