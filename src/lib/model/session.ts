import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../core/rng';
import { loadBuiltin } from '../data/load';
import { prepareSplit } from '../data/prepare';
import type { DatasetSummary, EvaluateOutcome, EvaluateProgress, EvaluateRequest, Prepared } from '../run/evaluator';
import { captureManifest } from '../measure/manifest';
import type { RunConfig } from '../run/records';
import { selectBackend, type BackendInfo } from './backend';
import { evaluateGenome } from './candidate';
import { DEFAULT_PROTOCOL } from '../measure/protocol';
import { disposeTensors, makeTensors, type TrainingTensors } from './data';

interface Loaded {
  readonly key: string;
  readonly backend: BackendInfo;
  readonly tensors: TrainingTensors;
  readonly summary: DatasetSummary;
}

/** The split seed is separate from the search seed's other uses, so data order never shifts the search. */
const SPLIT_SALT = 0x5eed;

/**
 * A worker's training state: one backend chosen once, and the run's data resident on it across candidates.
 */
export class TrainingSession {
  #prepared: Loaded | null = null;
  #backend: BackendInfo | null = null;

  constructor(private readonly datasetBaseUrl: string) {}

  async prepare(config: RunConfig): Promise<Prepared> {
    const key = JSON.stringify([config.dataset, config.seed, config.budget.maxTrainImages, config.budget.maxValidationImages, config.backend]);
    if (this.#prepared?.key !== key) {
      if (this.#prepared) disposeTensors(this.#prepared.tensors);
      this.#prepared = null;
      this.#backend ??= await selectBackend(config.backend);
      const backend = this.#backend;
      const loaded = await loadBuiltin(config.dataset.name, this.datasetBaseUrl);
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

  async evaluate(request: EvaluateRequest, progress: EvaluateProgress): Promise<EvaluateOutcome> {
    if (!this.#prepared) return { ok: false, failure: { code: 'not-prepared', message: 'The training worker has no dataset loaded.' } };
    try {
      const evaluation = await evaluateGenome(request.genome, request.limits, this.#prepared.tensors, request.seed, { ...DEFAULT_PROTOCOL, runs: request.latencyRuns }, progress);
      return { ok: true, evaluation };
    } catch (e) {
      return { ok: false, failure: { code: 'training-error', message: e instanceof Error ? e.message : String(e) } };
    }
  }

  memory(): { numTensors: number; numBytes: number } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }
}
