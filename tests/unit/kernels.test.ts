import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { registerProjectKernels } from '../../src/lib/model/kernels';
import { FusedAdam, FusedMomentum } from '../../src/lib/model/optimizer/fused';
import { makeOptimizer } from '../../src/lib/model/optimizer/make';
import { fuseWhenTraining } from '../../src/lib/model/fusedConv';

const SHAPES: readonly number[][] = [[3, 3, 1, 16], [16], [5, 5, 16, 7], [7], [131, 10], [10], [1]];
const STEPS = 6;

/** Values of every variable after `STEPS` updates with seeded gradients, on one backend with one optimizer. */
async function train(backend: 'cpu' | 'wasm', make: () => tf.Optimizer, seed: number): Promise<Float32Array[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const rng = Rng.fromSeed(seed);
  const random = (shape: readonly number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1), [...shape]);
  const variables = SHAPES.map((s, i) => tf.tidy(() => tf.variable(random(s), true, `v${seed}-${backend}-${i}-${Math.random()}`)));
  const optimizer = make();
  for (let step = 0; step < STEPS; step++) {
    const grads = variables.map((v) => ({ name: v.name, tensor: tf.tidy(() => random(v.shape).mul(step % 3 === 2 ? 10 : 1)) }));
    optimizer.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const values = await Promise.all(variables.map(async (v) => (await v.data()) as Float32Array));
  optimizer.dispose();
  tf.dispose(variables);
  return values;
}

function expectClose(actual: readonly Float32Array[], expected: readonly Float32Array[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(a.length).toBe(e.length);
    for (let j = 0; j < a.length; j++) expect(Math.abs(a[j]! - e[j]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(e[j]!)));
  });
}

beforeAll(async () => {
  registerProjectKernels();
  await tf.ready();
});

describe('the fused optimizers compute what tfjs\' own do, in one kernel per step', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const lr of [1e-3, 3e-2]) {
      it(`Adam, ${backend}, learning rate ${lr}`, async () => {
        expectClose(await train(backend, () => new FusedAdam(lr), 5), await train(backend, () => tf.train.adam(lr), 5));
      });
      it(`SGD with momentum 0.9, ${backend}, learning rate ${lr}`, async () => {
        expectClose(await train(backend, () => new FusedMomentum(lr, 0.9), 6), await train(backend, () => tf.train.momentum(lr, 0.9), 6));
      });
    }
  }

  it('are what the genome gets on backends with the kernels, and leave no tensor behind', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      expect(makeOptimizer({ optimizer: 'adam', learningRate: 1e-3, batchSize: 32, epochs: 1 })).toBeInstanceOf(FusedAdam);
      expect(makeOptimizer({ optimizer: 'sgd', learningRate: 1e-2, batchSize: 32, epochs: 1 })).toBeInstanceOf(FusedMomentum);
      const before = tf.memory().numTensors;
      await train(backend, () => new FusedAdam(1e-3), 9);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describe('the WASM Slice kernel matches the CPU backend', () => {
  const rng = Rng.fromSeed(4);
  for (let i = 0; i < 10; i++) {
    const shape = Array.from({ length: 1 + (i % 4) }, () => rng.int(1, 6));
    const begin = shape.map((d) => rng.int(0, d - 1));
    const size = shape.map((d, k) => (rng.bool(0.4) ? -1 : rng.int(1, d - begin[k]!)));
    for (const dtype of ['float32', 'int32'] as const) {
      it(`slice ${shape.join('x')} from ${begin.join(',')} size ${size.join(',')} (${dtype})`, async () => {
        const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, j) => j * 3 - 7);
        const run = async (backend: 'cpu' | 'wasm') => {
          await tf.setBackend(backend);
          const t = tf.slice(tf.tensor(values, shape, dtype), begin, size);
          const out = { shape: t.shape, values: Array.from(await t.data()) };
          t.dispose();
          return out;
        };
        expect(await run('wasm')).toEqual(await run('cpu'));
      });
    }
  }
});

describe('the WASM Tile kernel matches the CPU backend', () => {
  const rng = Rng.fromSeed(3);
  const cases: [number[], number[]][] = [[[1, 1, 1, 5], [4, 6, 3, 1]], [[2, 3], [3, 2]], [[7], [5]], [[2, 1, 3, 2], [1, 4, 1, 3]], [[3, 2, 2], [1, 1, 1]]];
  for (const [shape, reps] of cases) {
    it(`tile ${shape.join('x')} by ${reps.join('x')}`, async () => {
      const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next());
      const run = async (backend: 'cpu' | 'wasm') => {
        await tf.setBackend(backend);
        const t = tf.tile(tf.tensor(values, shape), reps);
        const out = await t.data();
        t.dispose();
        return out;
      };
      expect(Array.from(await run('wasm'))).toEqual(Array.from(await run('cpu')));
    });
  }
});

describe('convolutions trained as one fused kernel have tfjs-layers\' own gradients', () => {
  const rng = Rng.fromSeed(8);
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [activation, stride, kernel, padding] of [['relu', 1, 3, 'same'], ['linear', 2, 5, 'same'], ['elu', 1, 1, 'valid'], ['relu', 2, 3, 'valid']] as const) {
      it(`${activation}, stride ${stride}, kernel ${kernel}, ${padding}, ${backend}`, async () => {
        await tf.setBackend(backend);
        const x = tf.tensor4d(Float32Array.from({ length: 2 * 9 * 9 * 3 }, () => rng.next() * 2 - 1), [2, 9, 9, 3]);
        const grads = (fused: boolean) => tf.tidy(() => {
          const layer = tf.layers.conv2d({ filters: 4, kernelSize: kernel, strides: stride, padding, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }), biasInitializer: tf.initializers.randomUniform({ seed: 4, minval: -0.5, maxval: 0.5 }) });
          if (fused) fuseWhenTraining(layer, activation);
          layer.apply(x, { training: true }); // builds the weights
          const probe = tf.sin(tf.range(0, (layer.apply(x) as tf.Tensor).size)).reshape((layer.apply(x) as tf.Tensor).shape);
          const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
          const { grads: byName } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, probe)) as tf.Scalar, weights);
          const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, probe)))(x);
          return [dx, ...weights.map((w) => byName[w.name]!)];
        });
        const [stock, fused] = [grads(false), grads(true)];
        for (let i = 0; i < stock.length; i++) expectClose([(await fused[i]!.data()) as Float32Array], [(await stock[i]!.data()) as Float32Array]);
        tf.dispose([x, ...stock, ...fused]);
      });
    }
  }
});
