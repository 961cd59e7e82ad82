import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import { learningRateAt } from '../genome/schedule';
import type { TrainingGenes } from '../genome/types';
import type { TrainingTensors } from './data';
import { batchReader, type BatchCheck } from './divergence';
import { setLearningRate } from './optimizer/make';
import type { EpochLog } from '../records/figures';

export interface TrainHooks {
  readonly onBatch?: (epoch: number, batch: number, batches: number) => void;
  readonly onEpoch?: (log: EpochLog) => void;
  /** Runs after every batch with the batches done so far (fault injection reaches the weights here). */
  readonly afterBatch?: (model: tf.LayersModel, batchesDone: number) => void;
  /** After each epoch: false ends training there (multi-fidelity's promotion test). */
  readonly keepTraining?: (log: EpochLog) => boolean;
}

export { Diverged } from './divergence';

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
 * One optimizer step on a batch: the mean categorical cross-entropy of the softmax outputs (as Keras' and
 * tfjs' `fit` compute it) minimised over the trainable weights. Returns the batch loss and the count of
 * correctly classified images, both still on the backend.
 */
function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  x: tf.Tensor,
  y: tf.Tensor,
): { loss: tf.Scalar; correct: tf.Scalar } {
  let correct: tf.Scalar | null = null;
  const loss = optimizer.minimize(
    () => {
      const probs = model.apply(x, { training: true }) as tf.Tensor;
      correct = tf.keep(tf.sum<tf.Tensor>(tf.cast(tf.equal(tf.argMax(y, -1), tf.argMax(probs, -1)), 'float32')) as tf.Scalar);
      return tf.mean(tf.metrics.categoricalCrossentropy(y, probs)) as tf.Scalar;
    },
    true,
    variables,
  )!;
  return { loss, correct: correct! };
}

/**
 * Trains for the genome's epochs with its own loop (no `fit`): each epoch the training split is permuted once
 * on the backend with a seeded order (tfjs' own shuffle is unseeded) and batches are sliced from it; the step size follows the genome's schedule; loss and
 * accuracy accumulate on the backend and are read once per epoch. Divergence is checked without stalling every
 * step (see divergence.ts); a NaN or infinite loss, or NaN weights, stops training and throws `Diverged`.
 */
export async function trainModel(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  data: TrainingTensors,
  genes: TrainingGenes,
  seed: number,
  hooks: TrainHooks = {},
): Promise<EpochLog[]> {
  const rng = Rng.fromSeed(seed);
  const n = data.trainX.shape[0];
  const batches = Math.ceil(n / genes.batchSize);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const history: EpochLog[] = [];
  let batchesDone = 0;
  const totalSteps = batches * genes.epochs;
  const scheduled = (genes.schedule ?? 'constant') !== 'constant';
  for (let epoch = 0; epoch < genes.epochs; epoch++) {
    const start = performance.now();
    const [xs, ys] = tf.tidy(() => {
      const order = tf.tensor1d(Int32Array.from(rng.shuffled(Array.from({ length: n }, (_, i) => i))), 'int32');
      return [tf.gather(data.trainX, order), tf.gather(data.trainY, order)];
    });
    let lossSum: tf.Scalar = tf.scalar(0);
    let correctSum: tf.Scalar = tf.scalar(0);
    const check: BatchCheck = batchReader(model, epoch);
    try {
      for (let b = 0; b < batches; b++) {
        const from = b * genes.batchSize;
        const size = Math.min(genes.batchSize, n - from);
        if (scheduled) setLearningRate(optimizer, learningRateAt(genes, batchesDone, totalSteps));
        const { loss, correct } = tf.tidy(() => trainStep(model, optimizer, variables, xs.slice(from, size), ys.slice(from, size)));
        const [nextLoss, nextCorrect] = tf.tidy(() => [tf.add(lossSum, tf.mul(loss, size)) as tf.Scalar, tf.add(correctSum, correct) as tf.Scalar]);
        tf.dispose([lossSum, correctSum, correct]);
        [lossSum, correctSum] = [nextLoss, nextCorrect];
        batchesDone++;
        await check.push(b, loss); // takes the loss tensor
        if (b === batches - 1) await check.flush();
        hooks.onBatch?.(epoch, b + 1, batches);
        hooks.afterBatch?.(model, batchesDone);
      }
      const [lossTotal, correctTotal] = await Promise.all([lossSum.data(), correctSum.data()]);
      const ms = performance.now() - start;
      const val = await evaluateModel(model, data.valX, data.valLabels);
      const log: EpochLog = { epoch: epoch + 1, loss: lossTotal[0]! / n, accuracy: correctTotal[0]! / n, valLoss: val.loss, valAccuracy: val.accuracy, ms };
      history.push(log);
      hooks.onEpoch?.(log);
      if (hooks.keepTraining && !hooks.keepTraining(log)) break;
    } finally {
      check.dispose();
      tf.dispose([xs, ys, lossSum, correctSum]);
    }
  }
  return history;
}

export type { EpochLog } from '../records/figures';
