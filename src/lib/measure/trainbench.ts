import * as tf from '@tensorflow/tfjs';
import { measureModel } from './latency';
import { DEFAULT_PROTOCOL, type LatencyResult } from './protocol';
import { countDispatches, type DispatchCount } from '../model/webgpu/dispatches';
import { disposeOptimizer, makeOptimizer } from '../model/optimizer/make';
import { fuseWhenTraining } from '../model/fusedConv';
import { buildModel } from '../model/build';
import type { CnnGenome } from '../genome/types';

/** How long the reference training runs: timed steps after warm-up steps, at one batch size. */
export interface TrainBenchOptions {
  readonly batchSize: number;
  readonly warmupSteps: number;
  /** At most this many timed steps... */
  readonly steps: number;
  /** ...and fewer when the warm-up says they would take longer than this (slow backends), but at least 3. */
  readonly maxSeconds: number;
  /** Rounds of timed steps; the best round is reported (the machine's other load only ever slows a round). */
  readonly rounds?: number;
  /** Also profile one step kernel by kernel (tf.profile). */
  readonly profile?: boolean;
  /** Train this genome (28 x 28 x 1, 10 classes, its optimizer and learning rate) instead of the reference CNN. */
  readonly genome?: CnnGenome;
}

/** One kernel's share of a profiled step: calls and summed kernel time. */
export interface KernelTime {
  readonly kernel: string;
  readonly calls: number;
  readonly ms: number;
}

export interface TrainBenchResult {
  readonly steps: number;
  /** Images per second over the best round of timed steps: wall time of forward + backward + Adam update, synchronised once per round. */
  readonly trainImgPerS: number;
  readonly inferB1: LatencyResult;
  /** Mean loss of the last timed step, to show the steps really trained. */
  readonly finalLoss: number;
  /** WebGPU only: compute dispatches per training step, and by program over one step. */
  readonly dispatches: { readonly perStep: number; readonly oneStep: DispatchCount } | null;
  /** With `profile`: one step's kernels, most time first (kernel time as tfjs measures it on this backend). */
  readonly profile: readonly KernelTime[] | null;
}

/** One step's kernels grouped by name, most time first. */
async function profileStep(run: () => tf.Scalar): Promise<KernelTime[]> {
  const info = await tf.profile(async () => {
    const loss = run();
    await loss.data();
    loss.dispose();
  });
  const byName = new Map<string, { calls: number; ms: number }>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    byName.set(k.name, { calls: e.calls + 1, ms: e.ms + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0) });
  }
  return [...byName].map(([kernel, e]) => ({ kernel, calls: e.calls, ms: Math.round(e.ms * 1000) / 1000 })).sort((a, b) => b.ms - a.ms);
}

const GENOME_LIMITS = {
  height: 28,
  width: 28,
  channels: 1,
  classes: 10,
  maxParams: Infinity,
  maxFlops: Infinity,
  maxEpochs: 100,
  maxBlocks: 16,
  maxLayersPerBlock: 16,
};

/**
 * Arithmetic of one training image through the reference CNN, in FLOPs (2 per multiply-add): the forward pass,
 * every weight gradient (as many multiply-adds as the forward) and the input gradients of the second
 * convolution and the classifier (the first layer's input needs none). Element-wise ops are left out.
 */
export const REFERENCE_TRAIN_FLOPS_PER_IMAGE = (() => {
  const conv1 = 26 * 26 * 16 * 3 * 3 * 1;
  const conv2 = 11 * 11 * 32 * 3 * 3 * 16;
  const dense = 5 * 5 * 32 * 10;
  return 2 * (conv1 + conv2 + dense) + 2 * (conv1 + conv2 + dense) + 2 * (conv2 + dense);
})();

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
 * Trains the reference CNN (or `options.genome`, as a search trains it) on real images with one optimizer step
 * per batch, timing each step to completion, then times batch-1 inference with the app's latency protocol.
 * `x` holds N x 28 x 28 x 1 pixels in [0, 1].
 */
export async function benchTraining(x: Float32Array, labels: Int32Array, options: TrainBenchOptions): Promise<TrainBenchResult> {
  const genome = options.genome;
  const model = genome ? buildModel(genome, GENOME_LIMITS, 7) : referenceCnn(7);
  // the app's optimizer: fused into one kernel per step where this project registers it
  const optimizer = makeOptimizer(genome ? genome.training : { optimizer: 'adam', learningRate: 1e-3, batchSize: 64, epochs: 1 });
  // the genome ends in a softmax, as the app trains it; the reference CNN gives logits
  const loss = (y: tf.Tensor, out: tf.Tensor) =>
    (genome ? tf.mean(tf.metrics.categoricalCrossentropy(y, out)) : tf.losses.softmaxCrossEntropy(y, out)) as tf.Scalar;
  const n = labels.length;
  const xs = tf.tensor4d(x, [n, 28, 28, 1]);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat();
  const batches = Math.floor(n / options.batchSize);
  const step = (i: number): tf.Scalar => {
    const start = (i % batches) * options.batchSize;
    return optimizer.minimize(
      () =>
        tf.tidy(() => {
          const bx = xs.slice(start, options.batchSize);
          const by = ys.slice(start, options.batchSize);
          return loss(by, model.apply(bx, { training: true }) as tf.Tensor);
        }),
      true,
    )!;
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
    // no read-back between steps (as a training loop should run); the last loss is read once per round
    let seconds = Infinity;
    let finalLoss = NaN;
    let done = options.warmupSteps + 1;
    // a backend slowed to fewer steps by maxSeconds gets one round; the others the best of three
    for (let round = 0; round < (steps < options.steps ? 1 : (options.rounds ?? 3)); round++) {
      const losses: tf.Scalar[] = [];
      const begin = performance.now();
      for (let i = 0; i < steps; i++) losses.push(step(done + i));
      finalLoss = (await losses[losses.length - 1]!.data())[0]!;
      seconds = Math.min(seconds, (performance.now() - begin) / 1000);
      tf.dispose(losses);
      done += steps;
    }
    const profile = options.profile ? await profileStep(() => step(done)) : null;
    const inferB1 = await measureModel(model, DEFAULT_PROTOCOL);
    return {
      steps,
      trainImgPerS: (steps * options.batchSize) / seconds,
      inferB1,
      finalLoss,
      dispatches: oneStep ? { perStep: oneStep.total, oneStep } : null,
      profile,
    };
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
    disposeOptimizer(optimizer);
  }
}
