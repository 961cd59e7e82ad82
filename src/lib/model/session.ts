import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../core/rng';
import type { LoadedDataset } from '../data/load';
import type { AppError, Result } from '../core/result';
import { prepareSplit } from '../data/prepare';
import { trainingBytes } from '../genome/memory';
import type { DatasetSummary, EvaluateOutcome, EvaluateProgress, EvaluateRequest, Prepared } from '../run/evaluator';
import { captureManifest } from '../measure/manifest';
import { classifyError, failure } from '../run/failures';
import type { DatasetChoice, Failure, RunConfig } from '../run/records';
import { selectBackend, type BackendInfo, type BackendName } from './backend';
import { evaluateGenome } from './candidate';
import { DEFAULT_PROTOCOL } from '../measure/protocol';
import { disposeTensors, makeTensors, type TrainingTensors } from './data';
import { armFault, webgpuDevice } from './faults';

/** How long a failed GPU call waits to learn whether the device was lost. */
const LOST_GRACE_MS = 500;
import { Diverged } from './train';

interface Loaded {
  readonly key: string;
  readonly backend: BackendInfo;
  readonly tensors: TrainingTensors;
  readonly summary: DatasetSummary;
}

/** How a worker's backend is chosen after earlier ones failed during the run. */
export interface BackendOptions {
  /** Backends that failed earlier in this run: skipped. */
  readonly exclude?: readonly BackendName[];
  /** Fault injection: this backend fails to load. */
  readonly failing?: BackendName | null;
}

/** The split seed is separate from the search seed's other uses, so data order never shifts the search. */
const SPLIT_SALT = 0x5eed;
const MB = 1024 * 1024;

/** Training memory this device allows one candidate: half its RAM as the browser reports it (4 GB if it does not). */
function memoryBudgetBytes(): number {
  const gb = (navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? 4;
  return (gb * 1024 * MB) / 2;
}

/**
 * A worker's training state: one backend chosen once, and the run's data resident on it across candidates.
 * `onFatal` reports what kills the worker from outside any call (a lost GPU device).
 */
export class TrainingSession {
  #prepared: Loaded | null = null;
  #backend: BackendInfo | null = null;

  /** `loadDataset` reads a run's dataset (built-in files or IndexedDB: the worker decides where from). */
  constructor(private readonly loadDataset: (choice: DatasetChoice) => Promise<Result<LoadedDataset, AppError>>, private readonly onFatal: (f: Failure) => void) {}

  async prepare(config: RunConfig, options: BackendOptions = {}): Promise<Prepared> {
    const key = JSON.stringify([config.dataset, config.seed, config.budget.maxTrainImages, config.budget.maxValidationImages, config.backend]);
    if (this.#prepared?.key !== key) {
      if (this.#prepared) disposeTensors(this.#prepared.tensors);
      this.#prepared = null;
      this.#backend ??= await this.#startBackend(config, options);
      const backend = this.#backend;
      const loaded = await this.loadDataset(config.dataset);
      if (!loaded.ok) throw new Error(loaded.error.message);
      const split = prepareSplit(loaded.value, deriveSeed(config.seed, SPLIT_SALT), config.budget);
      const d = loaded.value.dataset;
      const summary: DatasetSummary = {
        name: d.name, height: d.height, width: d.width, channels: d.channels, classNames: d.classNames,
        trainImages: split.train.length, validationImages: split.validation.length, testImages: split.test.length,
      };
      this.#prepared = { key, backend, tensors: makeTensors(d, split.train, split.validation), summary };
    }
    return { backend: this.#prepared.backend, dataset: this.#prepared.summary, manifest: captureManifest(this.#prepared.backend.name) };
  }

  async #startBackend(config: RunConfig, options: BackendOptions): Promise<BackendInfo> {
    const backend = await selectBackend(config.backend, options.exclude ?? [], options.failing ?? null);
    const device = backend.name === 'webgpu' ? webgpuDevice() : null;
    if (device) {
      // A lost device kills every GPU object: the worker is finished, whatever call is in flight.
      this.#lost = device.lost.then((info) => failure('device-lost', `${info.message || 'the device went away'} (reason: ${info.reason})`));
      void this.#lost.then((f) => this.onFatal(f));
    }
    return backend;
  }

  #lost: Promise<Failure> | null = null;

  #lostWithin(ms: number): Promise<Failure | null> {
    if (!this.#lost) return Promise.resolve(null);
    return Promise.race([this.#lost, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);
  }

  async evaluate(request: EvaluateRequest, progress: EvaluateProgress): Promise<EvaluateOutcome> {
    const prepared = this.#prepared;
    if (!prepared) return { ok: false, failure: failure('not-prepared', 'The training worker has no dataset loaded.') };
    const backend = prepared.backend.name;
    const batch = Math.min(request.genome.training.batchSize, prepared.summary.trainImages);
    const needed = trainingBytes(request.genome, request.limits, batch);
    const budget = memoryBudgetBytes();
    if (needed > budget) {
      const detail = `training needs about ${Math.round(needed / MB).toLocaleString('en')} MB at batch ${batch}; this device allows about ${Math.round(budget / MB).toLocaleString('en')} MB`;
      return { ok: false, failure: failure('out-of-memory', detail), backend };
    }
    try {
      const evaluation = await evaluateGenome(request.genome, request.limits, prepared.tensors, request.seed, { ...DEFAULT_PROTOCOL, runs: request.latencyRuns }, armFault(request.fault, progress));
      return { ok: true, evaluation, backend };
    } catch (e) {
      if (e instanceof Diverged) return { ok: false, failure: failure('nan-loss', e.message), backend };
      // A destroyed device surfaces first as some failed GPU call; the lost promise says what really happened.
      const lost = await this.#lostWithin(LOST_GRACE_MS);
      return { ok: false, failure: lost ?? classifyError(e), backend };
    }
  }

  memory(): { numTensors: number; numBytes: number } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }
}
