import * as tf from '@tensorflow/tfjs';
import { labelsAt, normalizedPixels, type Dataset } from '../data/dataset';

/** Training and validation tensors, created once per worker and kept on the backend across candidates. */
export interface TrainingTensors {
  readonly trainX: tf.Tensor4D;
  readonly trainY: tf.Tensor2D;
  readonly valX: tf.Tensor4D;
  readonly valLabels: Int32Array;
  readonly classes: number;
}

export function makeTensors(d: Dataset, train: Int32Array, validation: Int32Array): TrainingTensors {
  const shape = [d.height, d.width, d.channels] as const;
  const classes = d.classNames.length;
  return tf.tidy(() => ({
    trainX: tf.tensor4d(normalizedPixels(d, train), [train.length, ...shape]),
    trainY: tf.oneHot(tf.tensor1d(labelsAt(d, train), 'int32'), classes).toFloat() as tf.Tensor2D,
    valX: tf.tensor4d(normalizedPixels(d, validation), [validation.length, ...shape]),
    valLabels: labelsAt(d, validation),
    classes,
  }));
}

export function disposeTensors(t: TrainingTensors): void {
  tf.dispose([t.trainX, t.trainY, t.valX]);
}
