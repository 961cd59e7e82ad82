/// <reference lib="webworker" />
import { proxy, wrap, type Remote } from 'comlink';
import { Interrupted, type EvaluateOutcome, type EvaluateProgress, type EvaluateRequest, type Evaluator } from '../src/lib/run/evaluator';
import type { RunConfig } from '../src/lib/run/records';
import type { TrainingApi } from './train.worker';

/**
 * The search worker's handle on its training worker. Interrupting terminates the worker outright (the only
 * way to stop a GPU job mid-flight); the next call starts a fresh one and loads the data again.
 */
export class WorkerEvaluator implements Evaluator {
  #worker: Worker | null = null;
  #api: Remote<TrainingApi> | null = null;
  #config: RunConfig | null = null;
  #prepared = false;
  #cancel: (() => void) | null = null;

  #start(): Remote<TrainingApi> {
    if (!this.#api) {
      this.#worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'training' });
      this.#api = wrap<TrainingApi>(this.#worker);
      this.#prepared = false;
    }
    return this.#api;
  }

  /** Resolves with `work`, or rejects with `Interrupted` as soon as `interrupt()` is called. */
  #interruptible<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#cancel = () => reject(new Interrupted());
      work.then(resolve, reject).finally(() => (this.#cancel = null));
    });
  }

  async prepare(config: RunConfig) {
    this.#config = config;
    const result = await this.#interruptible(this.#start().prepare(config));
    this.#prepared = true;
    return result;
  }

  async evaluate(request: EvaluateRequest, progress: EvaluateProgress) {
    const api = this.#start();
    if (!this.#prepared && this.#config) await this.prepare(this.#config);
    return this.#interruptible<EvaluateOutcome>(api.evaluate(request, proxy(progress)));
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
