import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import type { TrainingGenes } from '../genome/types';
import type { TrainingTensors } from './data';

/** One epoch's figures; accuracies in [0, 1]. */
export interface EpochLog {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  /** Wall time of the epoch's training, ms. */
  readonly ms: number;
}

export interface TrainHooks {
  readonly onBatch?: (epoch: number, batch: number, batches: number) => void;
  readonly onEpoch?: (log: EpochLog) => void;
  /** Runs after every batch with the batches done so far (fault injection reaches the weights here). */
  readonly afterBatch?: (model: tf.LayersModel, batchesDone: number) => void;
  /** After each epoch: false ends training there (multi-fidelity's promotion test). */
  readonly keepTraining?: (log: EpochLog) => boolean;
}

/** Thrown when the training loss stops being a finite number; training stops after the batch that showed it. */
export class Diverged extends Error {
  constructor(readonly epoch: number, readonly batch: number, loss: number) {
    super(`${Number.isFinite(loss) ? `weights became NaN or infinite (loss ${loss.toFixed(3)})` : `loss was ${loss}`} at epoch ${epoch}, batch ${batch}; training stopped there`);
    this.name = 'Diverged';
  }
}

export function makeOptimizer(genes: TrainingGenes): tf.Optimizer {
  return genes.optimizer === 'adam' ? tf.train.adam(genes.learningRate) : tf.train.momentum(genes.learningRate, 0.9);
}

/**
 * Frees an optimizer's tensors. tfjs 4.22's MomentumOptimizer.dispose() skips SGDOptimizer's, leaking the
 * learning-rate scalar `c` once per candidate; dispose it here.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (c && !c.isDisposed) c.dispose();
}

/** Validation accuracy and mean cross-entropy, predicted in chunks so large splits fit in memory. */
export async function evaluateModel(model: tf.LayersModel, x: tf.Tensor4D, labels: Int32Array, chunk = 256): Promise<{ accuracy: number; loss: number }> {
  let correct = 0;
  let loss = 0;
  for (let start = 0; start < labels.length; start += chunk) {
    const size = Math.min(chunk, labels.length - start);
    const probs = tf.tidy(() => model.predict(x.slice(start, size)) as tf.Tensor2D);
    const values = await probs.data();
    probs.dispose();
    const classes = values.length / size;
    for (let i = 0; i < size; i++) {
      const row = values.subarray(i * classes, (i + 1) * classes);
      let best = 0;
      for (let c = 1; c < classes; c++) if (row[c]! > row[best]!) best = c;
      if (best === labels[start + i]) correct++;
      loss -= Math.log(Math.max(row[labels[start + i]!]!, 1e-7));
    }
  }
  return { accuracy: correct / labels.length, loss: loss / labels.length };
}

/**
 * Whether the classifier's weights hold NaN or infinity. The loss alone can hide it: backends that clamp with
 * min/max (XNNPACK on WASM) turn NaN probabilities into finite ones. A few thousand values, checked per batch.
 */
function classifierBroken(model: tf.LayersModel): boolean {
  const weights = [...model.layers].reverse().find((l) => l.trainableWeights.length > 0)?.trainableWeights[0];
  if (!weights) return false;
  const finite = tf.tidy(() => tf.all(tf.isFinite(weights.read())));
  const ok = finite.dataSync()[0] === 1;
  finite.dispose();
  return !ok;
}

/**
 * Trains for the genome's epochs, reshuffling the training split each epoch with a seeded permutation
 * (tfjs' own shuffle is unseeded), and evaluates on validation after each epoch. A NaN or infinite batch
 * loss stops training after that batch and throws `Diverged`.
 */
export async function trainModel(model: tf.LayersModel, data: TrainingTensors, genes: TrainingGenes, seed: number, hooks: TrainHooks = {}): Promise<EpochLog[]> {
  const rng = Rng.fromSeed(seed);
  const n = data.trainX.shape[0];
  const batches = Math.ceil(n / genes.batchSize);
  const history: EpochLog[] = [];
  let batchesDone = 0;
  let diverged: Diverged | null = null;
  const onBatchEnd = (epoch: number, batch: number, logs?: { loss?: number }) => {
    batchesDone++;
    const loss = Number(logs?.loss);
    if (!Number.isFinite(loss) || classifierBroken(model)) {
      diverged = new Diverged(epoch + 1, batch + 1, loss);
      model.stopTraining = true; // fit checks this after each batch: no further batch runs
    }
    hooks.onBatch?.(epoch, batch + 1, batches);
    hooks.afterBatch?.(model, batchesDone);
  };
  for (let epoch = 0; epoch < genes.epochs; epoch++) {
    const order = tf.tensor1d(Int32Array.from(rng.shuffled(Array.from({ length: n }, (_, i) => i))), 'int32');
    const xs = tf.gather(data.trainX, order);
    const ys = tf.gather(data.trainY, order);
    const start = performance.now();
    try {
      const fit = await model.fit(xs, ys, {
        epochs: 1,
        batchSize: genes.batchSize,
        shuffle: false,
        verbose: 0,
        // tfjs' default yields with requestAnimationFrame, which nested workers do not support; a worker need not yield.
        yieldEvery: 'never',
        callbacks: { onBatchEnd: (batch: number, logs?: { loss?: number }) => onBatchEnd(epoch, batch, logs) },
      });
      if (diverged) throw diverged;
      const ms = performance.now() - start;
      const val = await evaluateModel(model, data.valX, data.valLabels);
      const log: EpochLog = {
        epoch: epoch + 1,
        loss: Number(fit.history['loss']?.[0] ?? NaN),
        accuracy: Number(fit.history['acc']?.[0] ?? NaN),
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        ms,
      };
      history.push(log);
      hooks.onEpoch?.(log);
      if (hooks.keepTraining && !hooks.keepTraining(log)) break;
    } finally {
      tf.dispose([order, xs, ys]);
    }
  }
  return history;
}
