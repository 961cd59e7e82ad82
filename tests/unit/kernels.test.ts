import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { registerProjectKernels } from '../../src/lib/model/kernels';
import { FusedAdam, FusedMomentum } from '../../src/lib/model/optimizer/fused';
import { makeOptimizer } from '../../src/lib/model/optimizer/make';
import { checkKernels } from '../../src/lib/model/selfcheck';

const SHAPES: readonly number[][] = [[3, 3, 1, 16], [16], [5, 5, 16, 7], [7], [131, 10], [10], [1]];
const STEPS = 6;

/** Values of every variable after `STEPS` updates with seeded gradients, on one backend with one optimizer. */
async function train(backend: 'cpu' | 'wasm', make: () => tf.Optimizer, seed: number): Promise<Float32Array[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const rng = Rng.fromSeed(seed);
  const random = (shape: readonly number[]) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1),
      [...shape],
    );
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

describe("the fused optimizers and the fused convolution compute what tfjs' own do (model/selfcheck.ts)", () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on ${backend}`, async () => {
      const checks = await checkKernels(backend);
      expect(checks).toHaveLength(8);
      for (const c of checks) expect(c.maxRelError, c.name).toBeLessThan(c.name.startsWith('adam') || c.name.startsWith('momentum') ? 1e-5 : 1e-4);
    });
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
  const cases: [number[], number[]][] = [
    [
      [1, 1, 1, 5],
      [4, 6, 3, 1],
    ],
    [
      [2, 3],
      [3, 2],
    ],
    [[7], [5]],
    [
      [2, 1, 3, 2],
      [1, 4, 1, 3],
    ],
    [
      [3, 2, 2],
      [1, 1, 1],
    ],
  ];
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
