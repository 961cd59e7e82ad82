import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng';
import { fuseWhenTraining } from './fusedConv';
import { FusedAdam, FusedMomentum } from './optimizer/fused';
import type { BackendName } from './names';

/** One comparison of this project's kernels with tfjs' own on the same inputs: the largest relative difference. */
export interface KernelCheck {
  readonly name: string;
  readonly maxRelError: number;
}

const maxRelError = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  const scale = Math.max(1e-3, ...Array.from(b, Math.abs));
  let worst = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  return worst;
};

/** Variables after six updates with seeded gradients, by one optimizer, on the current backend. */
async function optimizerRun(make: () => tf.Optimizer, seed: number): Promise<Float32Array> {
  const rng = Rng.fromSeed(seed);
  const random = (shape: number[]) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1),
      shape,
    );
  const variables = [[3, 3, 4, 8], [8], [40, 10]].map((s, i) => tf.tidy(() => tf.variable(random(s), true, `check-${seed}-${i}-${Math.random()}`)));
  const optimizer = make();
  for (let step = 0; step < 6; step++) {
    const grads = variables.map((v) => ({ name: v.name, tensor: tf.tidy(() => random(v.shape)) }));
    optimizer.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const values = Float32Array.from((await Promise.all(variables.map((v) => v.data()))).flatMap((d) => Array.from(d)));
  optimizer.dispose();
  tf.dispose(variables);
  return values;
}

/** Gradients of a seeded loss through one conv layer, fused in training or as tfjs-layers runs it. */
async function convGrads(fused: boolean, activation: 'relu' | 'linear' | 'elu', stride: number): Promise<Float32Array> {
  const rng = Rng.fromSeed(21);
  const x = tf.tensor4d(
    Float32Array.from({ length: 2 * 9 * 9 * 5 }, () => rng.next() * 2 - 1),
    [2, 9, 9, 5],
  );
  const result = tf.tidy(() => {
    const layer = tf.layers.conv2d({
      filters: 6,
      kernelSize: 3,
      strides: stride,
      padding: 'same',
      activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
      biasInitializer: tf.initializers.randomUniform({ seed: 4, minval: -0.5, maxval: 0.5 }),
    });
    if (fused) fuseWhenTraining(layer, activation);
    const shape = (layer.apply(x) as tf.Tensor).shape;
    const probe = tf
      .sin(
        tf.range(
          0,
          shape.reduce((a, b) => a! * b!, 1)!,
        ),
      )
      .reshape(shape as number[]);
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, probe)) as tf.Scalar, weights);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, probe)))(x);
    return tf.concat([dx.flatten(), ...weights.map((w) => grads[w.name]!.flatten())]);
  });
  const values = (await result.data()) as Float32Array;
  tf.dispose([x, result]);
  return values;
}

/**
 * Compares this project's fused optimizers and fused convolution on `backend` with tfjs' own optimizers and
 * layers on the same backend, and the training gradients of a small network on `backend` with tfjs' CPU
 * backend (where our WASM kernels compute them). Runs where those kernels run: the unit tests call it for CPU
 * and WASM in Node, the end-to-end tests for WASM (relaxed SIMD, threads) and WebGPU in the browser.
 */
export async function checkKernels(backend: BackendName): Promise<KernelCheck[]> {
  const use = async (name: BackendName) => {
    if (!(await tf.setBackend(name))) throw new Error(`The ${name} backend did not start.`);
  };
  await use(backend);
  const checks: KernelCheck[] = [];
  for (const lr of [1e-3, 3e-2]) {
    checks.push({
      name: `adam lr ${lr}`,
      maxRelError: maxRelError(await optimizerRun(() => new FusedAdam(lr), 5), await optimizerRun(() => tf.train.adam(lr), 5)),
    });
    checks.push({
      name: `momentum lr ${lr}`,
      maxRelError: maxRelError(await optimizerRun(() => new FusedMomentum(lr, 0.9), 6), await optimizerRun(() => tf.train.momentum(lr, 0.9), 6)),
    });
  }
  for (const [activation, stride] of [
    ['relu', 1],
    ['linear', 2],
    ['elu', 1],
  ] as const) {
    checks.push({
      name: `fused conv ${activation} stride ${stride}`,
      maxRelError: maxRelError(await convGrads(true, activation, stride), await convGrads(false, activation, stride)),
    });
  }
  // a small network's gradients against the CPU backend: every conv, depthwise, pooling and bias gradient kernel
  const netGrads = async (on: BackendName) => {
    await use(on);
    const rng = Rng.fromSeed(31);
    const x = tf.tensor4d(
      Float32Array.from({ length: 3 * 12 * 12 * 3 }, () => rng.next()),
      [3, 12, 12, 3],
    );
    const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [12, 12, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
        tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
        tf.layers.separableConv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'same', depthwiseInitializer: init(2), pointwiseInitializer: init(3) }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 4, kernelInitializer: init(4) }),
      ],
    });
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const flat = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, weights);
      return tf.concat(weights.map((w) => grads[w.name]!.flatten()));
    });
    const values = (await flat.data()) as Float32Array;
    tf.dispose([x, flat]);
    model.dispose();
    return values;
  };
  checks.push({ name: 'network gradients vs cpu', maxRelError: maxRelError(await netGrads(backend), await netGrads('cpu')) });
  await use(backend);
  return checks;
}
