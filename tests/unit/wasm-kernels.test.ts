import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { registerProjectKernels } from '../../src/lib/model/kernels';
import { setSimdKernels, simdKernels } from '../../src/lib/model/wasm/simd/module';

/** Gradients of sum(op(x, w) * probe) w.r.t. x and w, on one backend. */
async function gradients(
  backend: 'cpu' | 'wasm',
  op: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D,
  x: Float32Array,
  xShape: number[],
  w: Float32Array,
  wShape: number[],
): Promise<[Float32Array, Float32Array]> {
  expect(await tf.setBackend(backend)).toBe(true);
  expect(tf.getBackend()).toBe(backend);
  const [dx, dw] = tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
    const wt = tf.tensor4d(w, wShape as [number, number, number, number]);
    const outShape = op(xt, wt).shape;
    const probe = tf.tensor(
      Float32Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i)),
      outShape,
    );
    return tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      op(a as tf.Tensor4D, b as tf.Tensor4D)
        .mul(probe)
        .sum(),
    )([xt, wt]);
  });
  const out = [(await dx!.data()) as Float32Array, (await dw!.data()) as Float32Array] as [Float32Array, Float32Array];
  tf.dispose([dx!, dw!]);
  return out;
}

function expectClose(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1e-3, ...Array.from(b, Math.abs));
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!) / scale).toBeLessThan(1e-4);
}

const random = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => rng.next() * 2 - 1);

beforeAll(async () => {
  registerProjectKernels();
  await tf.setBackend('wasm');
  await tf.ready();
});

it("runs this project's SIMD kernels on the WASM heap here (relaxed-SIMD FMA where the runtime validates it)", () => {
  const kernels = simdKernels((tf.backend() as unknown as { wasm: unknown }).wasm);
  expect(kernels).not.toBeNull();
  console.log(JSON.stringify({ simd: true, relaxed: kernels!.relaxed }));
});

for (const [simd, path] of [
  [true, 'SIMD kernels'],
  [false, 'JavaScript loops'],
] as const) {
  describe(`WASM training kernels (${path}) match tfjs CPU gradients on random shapes`, () => {
    beforeAll(() => setSimdKernels(simd));
    const rng = Rng.fromSeed(11);
    const cases = Array.from({ length: 12 }, (_, i) => {
      const kernel = rng.pick([1, 3, 5, 7]);
      const stride = rng.pick([1, 2]) as 1 | 2;
      const size = rng.int(kernel, 13);
      return {
        i,
        n: rng.int(1, 3),
        size,
        cin: i % 3 === 0 ? rng.int(8, 17) : rng.int(1, 5),
        cout: rng.int(1, 6),
        mult: rng.int(1, 3),
        kernel,
        stride,
        pad: rng.pick(['same', 'valid'] as const),
      };
    });

    /** Both gradients of `op` on WASM against tfjs CPU, for random inputs and filters of these shapes. */
    const expectSameGradients = async (op: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D, xShape: number[], wShape: number[]) => {
      const x = random(
        rng,
        xShape.reduce((p, d) => p * d, 1),
      );
      const w = random(
        rng,
        wShape.reduce((p, d) => p * d, 1),
      );
      const cpu = await gradients('cpu', op, x, xShape, w, wShape);
      const wasm = await gradients('wasm', op, x, xShape, w, wShape);
      expectClose(wasm[0], cpu[0]);
      expectClose(wasm[1], cpu[1]);
    };

    it.each(cases)('conv2d #$i: $n x $size x $size x $cin, $kernel x $kernel -> $cout, stride $stride, $pad', ({ n, size, cin, cout, kernel, stride, pad }) =>
      expectSameGradients((a, b) => tf.conv2d(a, b, stride, pad), [n, size, size, cin], [kernel, kernel, cin, cout]),
    );

    it.each(cases)('depthwise #$i: $n x $size x $size x $cin, $kernel x $kernel x $mult, stride $stride, $pad', ({ n, size, cin, mult, kernel, stride, pad }) =>
      expectSameGradients((a, b) => tf.depthwiseConv2d(a, b, stride, pad), [n, size, size, cin], [kernel, kernel, cin, mult]),
    );
  });

  describe(`the faster WASM max-pool gradient (${path}) matches tfjs CPU`, () => {
    beforeAll(() => setSimdKernels(simd));
    const rng = Rng.fromSeed(12);
    it.each(
      Array.from({ length: 8 }, (_, i) => ({
        i,
        size: rng.int(2, 13),
        ch: rng.int(1, 6),
        window: rng.pick([2, 3]),
        pad: rng.pick(['same', 'valid'] as const),
      })),
    )('max pool #$i: $size x $size x $ch, window $window, $pad', async ({ size, ch, window, pad }) => {
      const x = random(rng, 2 * size * size * ch);
      const grad = async (backend: 'cpu' | 'wasm') => {
        expect(await tf.setBackend(backend)).toBe(true);
        const g = tf.tidy(() => {
          const xt = tf.tensor4d(x, [2, size, size, ch]);
          const out = tf.maxPool(xt, window, 2, pad);
          const probe = tf.tensor(
            Float32Array.from({ length: out.size }, (_, i) => Math.cos(i)),
            out.shape,
          );
          return tf.grad((a: tf.Tensor) =>
            tf
              .maxPool(a as tf.Tensor4D, window, 2, pad)
              .mul(probe)
              .sum(),
          )(xt);
        });
        const values = (await g.data()) as Float32Array;
        g.dispose();
        return values;
      };
      expectClose(await grad('wasm'), await grad('cpu'));
    });
  });
}
