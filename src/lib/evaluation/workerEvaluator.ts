/// <reference lib="webworker" />
import { proxy, wrap, type Remote } from 'comlink';
import type { BackendName } from '../model/backend';
import { Interrupted, type EvaluateOutcome, type EvaluateProgress, type EvaluateRequest, type Evaluator, type Prepared } from '../run/evaluator';
import { failure, WATCHDOG_MS } from '../run/failures';
import type { Failure, RunConfig } from '../records';
import { isAlive, isFatal } from './fatal';
import type { TrainingApi } from './trainingApi';
import type { PoolShare } from './session';

/** Loading the data and probing the backends (first time on a device) sends no progress: a longer limit. */
const PREPARE_TIMEOUT_MS = 300_000;

type Guarded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: Failure };

/**
 * The search worker's handle on one training worker (a slot of the pool). Interrupting terminates the worker outright (the only
 * way to stop a GPU job mid-flight). A crash (uncaught error), a hang (silence past the watchdog) or a lost
 * GPU device ends the call in flight as a failure; the next call starts a fresh worker and loads the data
 * again. A backend that fails to load in a fresh worker fails that candidate and is skipped afterwards.
 */
export class WorkerEvaluator implements Evaluator {
  #worker: Worker | null = null;
  #api: Remote<TrainingApi> | null = null;
  #config: RunConfig | null = null;
  #prepared = false;
  #backend: BackendName | null = null;
  readonly #excluded: BackendName[] = [];
  #cancel: (() => void) | null = null;
  #fail: ((f: Failure) => void) | null = null;
  #lastSign = 0;

  /**
   * `name` labels the worker in the browser's task manager; `wasmThreads` and `pool` (what the pool's workers
   * share, with this worker's slot) are passed to every fresh worker; `watchdogMs` is the
   * silence that ends a candidate as hung (shorter only in fault-injection tests).
   */
  constructor(
    private readonly name = 'training',
    private readonly wasmThreads?: number,
    private readonly pool?: PoolShare,
    private readonly watchdogMs = WATCHDOG_MS,
  ) {}

  #start(): Remote<TrainingApi> {
    if (!this.#api) {
      const worker = new Worker(new URL('../../../workers/train.worker.ts', import.meta.url), { type: 'module', name: this.name });
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        this.#die(failure('worker-crash', e.message || 'uncaught error in the training worker'));
      });
      worker.addEventListener('message', (e: MessageEvent<unknown>) => {
        if (isFatal(e.data)) this.#die(e.data.evonasFatal);
        else if (isAlive(e.data)) this.#alive();
      });
      this.#worker = worker;
      this.#api = wrap<TrainingApi>(worker);
      this.#prepared = false;
    }
    return this.#api;
  }

  /** The training worker's live tensors and their bytes (tf.memory), or null while no worker runs. */
  async memory(): Promise<{ numTensors: number; numBytes: number } | null> {
    return this.#api ? this.#api.memory() : null;
  }

  #die(f: Failure): void {
    const fail = this.#fail;
    this.terminate();
    fail?.(f);
  }

  /**
   * Runs one call on the worker: resolves with its value, with a failure if the worker crashes, hangs or
   * loses its device first, or rejects with `Interrupted` when `interrupt()` is called.
   */
  #guarded<T>(call: (api: Remote<TrainingApi>) => Promise<T>, watchdogMs: number): Promise<Guarded<T>> {
    const api = this.#start();
    this.#lastSign = Date.now();
    return new Promise<Guarded<T>>((resolve, reject) => {
      const watchdog = setInterval(
        () => {
          if (Date.now() - this.#lastSign > watchdogMs) this.#die(failure('worker-hang', `no sign of life for ${Math.round(watchdogMs / 1000)} s`));
        },
        Math.min(1000, watchdogMs / 4),
      );
      const settle = () => {
        clearInterval(watchdog);
        this.#cancel = null;
        this.#fail = null;
      };
      this.#cancel = () => (settle(), reject(new Interrupted()));
      this.#fail = (f) => (settle(), resolve({ ok: false, failure: f }));
      call(api).then(
        (value) => (settle(), resolve({ ok: true, value })),
        (e: unknown) => (settle(), reject(e)),
      );
    });
  }

  /** Any message from the worker (progress, epochs) is a sign of life for the watchdog. */
  #alive = (): void => {
    this.#lastSign = Date.now();
  };

  async prepare(config: RunConfig): Promise<Prepared> {
    this.#config = config;
    const result = await this.#load(config, null);
    if (!result.ok) throw new Error(result.failure.message);
    return result.value;
  }

  /** Prepares the worker (starting one if needed) and remembers which backend it runs. */
  async #load(config: RunConfig, failing: BackendName | null): Promise<Guarded<Prepared>> {
    const result = await this.#guarded(
      (api) =>
        api.prepare(config, {
          exclude: this.#excluded,
          failing,
          ...(this.wasmThreads ? { wasmThreads: this.wasmThreads } : {}),
          ...(this.pool ? { pool: this.pool } : {}),
        }),
      PREPARE_TIMEOUT_MS,
    );
    if (result.ok) {
      this.#prepared = true;
      this.#backend = result.value.backend.name;
    }
    return result;
  }

  async evaluate(request: EvaluateRequest, progress: EvaluateProgress): Promise<EvaluateOutcome> {
    const config = this.#config;
    if (!config) throw new Error('prepare() must run before evaluate()');
    if (request.fault?.kind === 'backend-fail') this.terminate(); // the next start of the backend fails
    if (!this.#prepared) {
      const failing = request.fault?.kind === 'backend-fail' ? this.#backend : null;
      const started = await this.#restart(config, failing);
      if (started) return { ok: false, failure: started, ...(failing ? { backend: failing } : {}) };
    }
    const watched: EvaluateProgress = {
      onBatch: (...args) => (this.#alive(), progress.onBatch(...args)),
      onEpoch: (log) => (this.#alive(), progress.onEpoch(log)),
    };
    const result = await this.#guarded<EvaluateOutcome>((api) => api.evaluate(request, proxy(watched)), this.watchdogMs);
    const outcome: EvaluateOutcome = result.ok ? result.value : { ok: false, failure: result.failure, ...(this.#backend ? { backend: this.#backend } : {}) };
    // A worker that lost its device is finished even if it answered: the next candidate gets a fresh one.
    if (!outcome.ok && outcome.failure.code === 'device-lost') this.terminate();
    return outcome;
  }

  /** Starts a fresh worker; when its backend will not load, that backend is skipped from now on. */
  async #restart(config: RunConfig, failing: BackendName | null): Promise<Failure | null> {
    try {
      const result = await this.#load(config, failing);
      return result.ok ? null : result.failure;
    } catch (e) {
      if (e instanceof Interrupted) throw e;
      this.terminate();
      if (this.#backend && !this.#excluded.includes(this.#backend)) this.#excluded.push(this.#backend);
      return failure('backend-unavailable', e instanceof Error ? e.message : String(e));
    }
  }

  interrupt(): void {
    const cancel = this.#cancel;
    this.terminate();
    cancel?.();
  }

  terminate(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#api = null;
    this.#prepared = false;
  }
}
