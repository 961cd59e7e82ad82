import * as tf from '@tensorflow/tfjs';
import { measureModel } from './latency';
import { DEFAULT_PROTOCOL, type LatencyResult } from './protocol';
import { countDispatches, type DispatchCount } from '../model/webgpu/dispatches';
import { disposeOptimizer, makeOptimizer } from '../model/optimizer/make';
import { fuseWhenTraining } from '../model/fusedConv';

/** How long the reference training runs: timed steps after warm-up steps, at one batch size. */
export interface TrainBenchOptions {
  readonly batchSize: number;
  readonly warmupSteps: number;
  /** At most this many timed steps... */
  readonly steps: number;
  /** ...and fewer when the warm-up says they would take longer than this (slow backends), but at least 3. */
  readonly maxSeconds: number;
}

export interface TrainBenchResult {
  readonly steps: number;
  /** Images per second over the timed steps: wall time of forward + backward + Adam update, synchronised once at the end. */
  readonly trainImgPerS: number;
  readonly inferB1: LatencyResult;
  /** Mean loss of the last timed step, to show the steps really trained. */
  readonly finalLoss: number;
  /** WebGPU only: compute dispatches per training step, and by program over one step. */
  readonly dispatches: { readonly perStep: number; readonly oneStep: DispatchCount } | null;
}

/**
 * The reference CNN of the project's performance figures: conv3x3x16-relu, maxpool2, conv3x3x32-relu,
 * maxpool2, dense10 (valid padding, as Keras' and PyTorch's defaults), Adam 1e-3, softmax cross-entropy on
 * the logits (as PyTorch's CrossEntropyLoss).
 */
export function referenceCnn(seed: number): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  // trained as the app trains its convolutions: conv + bias + ReLU as one kernel (model/fusedConv.ts)
  const conv = (config: Parameters<typeof tf.layers.conv2d>[0]) => {
    const layer = tf.layers.conv2d(config);
    fuseWhenTraining(layer, 'relu');
    return layer;
  };
  return tf.sequential({
    layers: [
      conv({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv({ filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: init(3) }), // logits: the loss applies the softmax
    ],
  });
}

/**
 * Trains the reference CNN on real images with one optimizer step per batch, timing each step to completion,
 * then times batch-1 inference with the app's latency protocol. `x` holds N x 28 x 28 x 1 pixels in [0, 1].
 */
export async function benchReferenceTraining(x: Float32Array, labels: Int32Array, options: TrainBenchOptions): Promise<TrainBenchResult> {
  const model = referenceCnn(7);
  // the app's optimizer: fused into one kernel per step where this project registers it
  const optimizer = makeOptimizer({ optimizer: 'adam', learningRate: 1e-3, batchSize: options.batchSize as 64, epochs: 1 });
  const n = labels.length;
  const xs = tf.tensor4d(x, [n, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat();
  const batches = Math.floor(n / options.batchSize);
  const step = (i: number): tf.Scalar => {
    const start = (i % batches) * options.batchSize;
    return optimizer.minimize(() => tf.tidy(() => {
      const bx = xs.slice(start, options.batchSize);
      const by = ys.slice(start, options.batchSize);
      return tf.losses.softmaxCrossEntropy(by, model.apply(bx, { training: true }) as tf.Tensor) as tf.Scalar;
    }), true)!;
  };
  try {
    let warmStepMs = Infinity;
    for (let i = 0; i < options.warmupSteps; i++) {
      const t = performance.now();
      const loss = step(i);
      await loss.data();
      loss.dispose();
      warmStepMs = performance.now() - t; // the last warm-up step, shaders compiled
    }
    const steps = Math.max(3, Math.min(options.steps, Math.floor((options.maxSeconds * 1000) / warmStepMs)));
    const counter = countDispatches();
    const counted = step(options.warmupSteps);
    await counted.data();
    counted.dispose();
    const oneStep = counter?.stop() ?? null;
    // no read-back between steps (as a training loop should run); the last loss is read once, after all of them
    const losses: tf.Scalar[] = [];
    const begin = performance.now();
    for (let i = 0; i < steps; i++) losses.push(step(options.warmupSteps + i));
    const finalLoss = (await losses[losses.length - 1]!.data())[0]!;
    const seconds = (performance.now() - begin) / 1000;
    tf.dispose(losses);
    const inferB1 = await measureModel(model, DEFAULT_PROTOCOL);
    return { steps, trainImgPerS: (steps * options.batchSize) / seconds, inferB1, finalLoss, dispatches: oneStep ? { perStep: oneStep.total, oneStep } : null };
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
    disposeOptimizer(optimizer);
  }
}
