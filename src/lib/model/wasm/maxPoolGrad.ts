import { backend_util, MaxPoolGrad, type KernelConfig, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { geometryOf, pointerOf, simdOf, type WasmBackendView } from './heap';

/**
 * Routes each pooling window's gradient to the input position that won it (the first maximum in row-major
 * window order, as tfjs' CPU kernel does), in one pass over the windows. Replaces tfjs' WASM kernel, which
 * took a third of a training step of the reference CNN.
 */
function maxPoolGrad(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: WasmBackendView;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const {
    inputs: { dy, input },
    backend,
    attrs,
  } = args;
  const c = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const out = backend.makeOutput([...input.shape], 'float32');
  const simd = simdOf(backend);
  if (simd) {
    simd.zero(
      pointerOf(backend, out),
      input.shape.reduce((a, b) => a * b, 1),
    );
    simd.max_pool_grad(pointerOf(backend, input), pointerOf(backend, dy), pointerOf(backend, out), ...geometryOf(c));
    return out;
  }
  const dx = backend.typedArrayFromHeap(out).fill(0);
  const x = backend.typedArrayFromHeap(input);
  const g = backend.typedArrayFromHeap(dy);
  const { inHeight, inWidth, inChannels: ch, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = c;
  const { top, left } = c.padInfo;
  let d = 0;
  for (let n = 0; n < c.batchSize; n++) {
    const image = n * inHeight * inWidth * ch;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = Math.max(0, oy * strideHeight - top);
      const y1 = Math.min(inHeight, oy * strideHeight - top + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = Math.max(0, ox * strideWidth - left);
        const x1 = Math.min(inWidth, ox * strideWidth - left + filterWidth);
        for (let k = 0; k < ch; k++, d++) {
          let best = -Infinity;
          let at = -1;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0; ix < x1; ix++) {
              const i = image + (iy * inWidth + ix) * ch + k;
              if (x[i]! > best) {
                best = x[i]!;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at]! += g[d]!;
        }
      }
    }
  }
  return out;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
};
