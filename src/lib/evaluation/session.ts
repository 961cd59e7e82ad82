import * as tf from '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { LoadedDataset } from '../data/load';
import type { AppError, Result } from '../core/result';
import { prepareSplit, splitSeedOf } from '../data/prepare';
import { trainingBytes } from '../genome/memory';
import type { DatasetSummary, EvaluateOutcome, EvaluateProgress, EvaluateRequest, Prepared } from '../run/evaluator';
import { captureManifest } from '../measure/manifest';
import { classifyError, failure } from '../run/failures';
import type { DatasetChoice, Failure, RunConfig, TrainingBackend } from '../records';
import { selectBackend, trySetBackend, type BackendInfo, type BackendName } from '../model/backend';
import { probeBackends, type BackendProbe } from '../model/probe';
import { evaluateGenome } from './candidate';
import { AFTER_TRAINING_PROTOCOL } from '../measure/protocol';
import { SpeedReadings } from '../measure/speedReference';
import { disposeTensors, makeTensors, type TrainingTensors } from '../model/data';
import { armFault, webgpuDevice } from './faults';
import { quietGate, type QuietGate } from './quiet';
import { trainAndExport, type ExportedModel } from '../model/export';
import type { CnnGenome, SpaceLimits } from '../genome/types';

import { Diverged, type TrainHooks } from '../model/train';

/** How long a failed GPU call waits to learn whether the device was lost. */
const LOST_GRACE_MS = 500;

interface Loaded {
  readonly key: string;
  readonly backend: BackendInfo;
  readonly training: TrainingBackend;
  readonly tensors: TrainingTensors;
  readonly summary: DatasetSummary;
}

/** How a worker's backend is chosen after earlier ones failed during the run, and how many threads WASM uses. */
export interface BackendOptions {
  /** Backends that failed earlier in this run: skipped. */
  readonly exclude?: readonly BackendName[];
  /** Fault injection: this backend fails to load. */
  readonly failing?: BackendName | null;
  /** XNNPACK threads for the WASM backend (one per worker when a pool shares the cores); absent: one per core. */
  readonly wasmThreads?: number;
  /** What the pool's workers share (absent: a worker alone). */
  readonly pool?: PoolShare;
}

/** What a pool's workers share: the quiet-measurement state and this worker's slot in it (quiet.ts), and speed readings. */
export interface PoolShare {
  readonly quiet: SharedArrayBuffer | null;
  readonly slot: number;
  /** The speed reference's readings over all the pool's workers (speedReference.ts): one usual speed for the run. */
  readonly speedReadings: SharedArrayBuffer | null;
}

/** Where backend probes are kept (IndexedDB in the app), by device and input shape. */
export interface ProbeCache {
  load(key: string): Promise<BackendProbe | undefined>;
  save(key: string, probe: BackendProbe): Promise<void>;
}

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

  /**
   * `loadDataset` reads a run's dataset (built-in files or IndexedDB: the worker decides where from);
   * `probes` keeps backend probes per device and input shape, so each is run once.
   */
  constructor(
    private readonly loadDataset: (choice: DatasetChoice) => Promise<Result<LoadedDataset, AppError>>,
    private readonly onFatal: (f: Failure) => void,
    private readonly probes: ProbeCache,
    /** A sign of life for the owner's watchdog while this worker waits on purpose (quiet measurement). */
    private readonly alive: () => void = () => {},
  ) {}

  async prepare(config: RunConfig, options: BackendOptions = {}): Promise<Prepared> {
    const key = JSON.stringify([config.dataset, config.seed, config.budget.maxTrainImages, config.budget.maxValidationImages, config.backend]);
    this.#gate = quietGate(options.pool?.quiet, options.pool?.slot ?? 0, this.alive);
    if (this.#prepared?.key !== key) {
      // only takes effect before the WASM backend first starts in this worker (the pool sets it on a fresh one)
      if (!this.#backend && options.wasmThreads) setThreadsCount(options.wasmThreads);
      if (this.#prepared) disposeTensors(this.#prepared.tensors);
      this.#prepared = null;
      // the reference's time depends on the input shape: readings start afresh (a pool hands out new shared ones per run)
      this.#speed = new SpeedReadings(options.pool?.speedReadings);
      this.#backend ??= await this.#startBackend(config, options);
      const backend = this.#backend;
      const loaded = await this.loadDataset(config.dataset);
      if (!loaded.ok) throw new Error(loaded.error.message);
      const split = prepareSplit(loaded.value, splitSeedOf(config.seed), config.budget);
      const d = loaded.value.dataset;
      const training =
        config.trainOn === 'fastest'
          ? await this.#probe([d.height, d.width, d.channels], d.classNames.length, backend.name)
          : { backend: backend.name, probe: null };
      await this.#use(training.backend); // the data lives where training computes
      const summary: DatasetSummary = {
        name: d.name,
        height: d.height,
        width: d.width,
        channels: d.channels,
        classNames: d.classNames,
        trainImages: split.train.length,
        validationImages: split.validation.length,
        testImages: split.test.length,
      };
      this.#prepared = { key, backend, training, tensors: makeTensors(d, split.train, split.validation), summary };
    }
    const p = this.#prepared;
    await this.#use(p.backend.name); // the manifest describes the target backend
    const manifest = captureManifest(p.backend.name);
    await this.#use(p.training.backend);
    return { backend: p.backend, training: p.training, dataset: p.summary, manifest };
  }

  async #use(name: BackendName): Promise<void> {
    if (tf.getBackend() === name) return;
    const reason = await trySetBackend(name);
    if (reason) throw new Error(`The ${name} backend stopped working (${reason}).`);
  }

  /** The fastest training backend of this device for this input shape, probed once and remembered. */
  async #probe(input: [number, number, number], classes: number, target: BackendName): Promise<TrainingBackend> {
    const key = `${navigator.userAgent}|${navigator.hardwareConcurrency}|${input.join('x')}`;
    const probe = (await this.probes.load(key)) ?? (await probeBackends(input, classes, trySetBackend, Date.now));
    await this.probes.save(key, probe);
    await this.#use(target);
    return { backend: probe.fastest, probe };
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
  /** The speed reference's readings over this run's candidates: they set the machine's usual speed (`usualMs`). */
  #speed = new SpeedReadings();
  #gate: QuietGate = quietGate(null, 0);

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
    const gate = this.#gate;
    try {
      const trainOn = prepared.training.backend;
      // latency is timed while the pool's other workers wait at a batch boundary (quiet.ts)
      const switchTo = {
        measure: () => (gate.acquire(), this.#use(backend)),
        train: () => this.#use(trainOn).finally(() => gate.release()),
      };
      await this.#use(trainOn);
      gate.training();
      const promotion = request.promotion;
      const paced = { ...progress, onBatch: (epoch: number, batch: number, batches: number) => (gate.pause(), progress.onBatch(epoch, batch, batches)) };
      const hooks: TrainHooks = promotion
        ? { ...paced, keepTraining: (log) => log.epoch !== promotion.afterEpoch || log.valAccuracy >= promotion.minValAccuracy }
        : paced;
      const evaluation = await evaluateGenome(
        request.genome,
        request.limits,
        prepared.tensors,
        request.seed,
        { ...AFTER_TRAINING_PROTOCOL, runs: request.latencyRuns },
        armFault(request.fault, hooks),
        switchTo,
        { ...(request.inherit ? { inherit: request.inherit } : {}), ...(request.keepWeights ? { keep: true } : {}) },
        this.#speed,
      );
      return { ok: true, evaluation, backend, trainedOn: trainOn };
    } catch (e) {
      if (e instanceof Diverged) return { ok: false, failure: failure('nan-loss', e.message), backend };
      // A destroyed device surfaces first as some failed GPU call; the lost promise says what really happened.
      const lost = await this.#lostWithin(LOST_GRACE_MS);
      return { ok: false, failure: lost ?? classifyError(e), backend };
    } finally {
      gate.release();
      gate.idle();
    }
  }

  /** Retrains one candidate on the run's training backend and returns it as TF.js model files. */
  async exportModel(genome: CnnGenome, limits: SpaceLimits, seed: number, hooks: TrainHooks = {}): Promise<ExportedModel> {
    const prepared = this.#prepared;
    if (!prepared) throw new Error('The training worker has no dataset loaded.');
    await this.#use(prepared.training.backend);
    return trainAndExport(genome, limits, prepared.tensors, seed, hooks);
  }

  /**
   * Trains a candidate again on the whole training split (the run's seeded split, no image budget) and scores
   * it once on the test split, on the run's training backend. `prepare(config)` must have run.
   */
  async retrainFull(
    config: RunConfig,
    genome: CnnGenome,
    limits: SpaceLimits,
    seed: number,
    hooks: TrainHooks = {},
  ): Promise<{ model: ExportedModel; trainImages: number; testImages: number; backend: BackendName; trainMs: number }> {
    const prepared = this.#prepared;
    if (!prepared) throw new Error('The training worker has no dataset loaded.');
    const loaded = await this.loadDataset(config.dataset);
    if (!loaded.ok) throw new Error(loaded.error.message);
    const split = prepareSplit(loaded.value, splitSeedOf(config.seed), { maxTrainImages: Infinity, maxValidationImages: 0 });
    if (split.test.length === 0) throw new Error('This dataset has no test images to score on.');
    await this.#use(prepared.training.backend);
    // the test split stands in for validation: trainAndExport scores on it once training ends
    const tensors = makeTensors(loaded.value.dataset, split.train, split.test);
    const start = performance.now();
    try {
      const model = await trainAndExport(genome, limits, tensors, seed, hooks);
      return { model, trainImages: split.train.length, testImages: split.test.length, backend: prepared.training.backend, trainMs: performance.now() - start };
    } finally {
      disposeTensors(tensors);
    }
  }

  memory(): { numTensors: number; numBytes: number } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }
}
