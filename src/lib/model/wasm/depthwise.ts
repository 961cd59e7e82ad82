import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { geometryOf, pointerOf, simdOf, type WasmBackendView } from './heap';

type Shape4 = [number, number, number, number];

/**
 * Visits every (output pixel, filter tap, channel, multiplier) of a depthwise convolution that lands inside
 * the input, with flat offsets into x (NHWC), dy (NHWC, channels x multiplier) and the filter (kh, kw, c, m).
 * Depthwise work is a small share of a network's, so plain loops do.
 */
function eachTap(c: backend_util.Conv2DInfo, visit: (xAt: number, dyAt: number, wAt: number) => void): void {
  const mult = c.outChannels / c.inChannels;
  for (let n = 0; n < c.batchSize; n++) {
    for (let oy = 0; oy < c.outHeight; oy++) {
      for (let ox = 0; ox < c.outWidth; ox++) {
        const dyPixel = ((n * c.outHeight + oy) * c.outWidth + ox) * c.outChannels;
        for (let fy = 0; fy < c.filterHeight; fy++) {
          const iy = oy * c.strideHeight - c.padInfo.top + fy * c.dilationHeight;
          if (iy < 0 || iy >= c.inHeight) continue;
          for (let fx = 0; fx < c.filterWidth; fx++) {
            const ix = ox * c.strideWidth - c.padInfo.left + fx * c.dilationWidth;
            if (ix < 0 || ix >= c.inWidth) continue;
            const xPixel = ((n * c.inHeight + iy) * c.inWidth + ix) * c.inChannels;
            const wTap = (fy * c.filterWidth + fx) * c.inChannels * mult;
            for (let ch = 0; ch < c.inChannels; ch++) for (let m = 0; m < mult; m++) visit(xPixel + ch, dyPixel + ch * mult + m, wTap + ch * mult + m);
          }
        }
      }
    }
  }
}

function depthwiseBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackendView;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const {
    inputs: { dy, filter },
    backend,
    attrs,
  } = args;
  const c = backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as Shape4, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  const out = backend.makeOutput([...attrs.inputShape], 'float32');
  const simd = simdOf(backend);
  if (simd) {
    simd.zero(
      pointerOf(backend, out),
      attrs.inputShape.reduce((a, b) => a * b, 1),
    );
    simd.depthwise_backprop_input(pointerOf(backend, dy), pointerOf(backend, filter), pointerOf(backend, out), ...geometryOf(c), c.outChannels / c.inChannels);
    return out;
  }
  const dx = backend.typedArrayFromHeap(out).fill(0);
  const g = backend.typedArrayFromHeap(dy);
  const w = backend.typedArrayFromHeap(filter);
  eachTap(c, (xAt, dyAt, wAt) => (dx[xAt]! += g[dyAt]! * w[wAt]!));
  return out;
}

function depthwiseBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackendView;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const {
    inputs: { x, dy },
    backend,
    attrs,
  } = args;
  const c = backend_util.computeConv2DInfo(x.shape as Shape4, attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  const out = backend.makeOutput([...attrs.filterShape], 'float32');
  const simd = simdOf(backend);
  if (simd) {
    simd.zero(
      pointerOf(backend, out),
      attrs.filterShape.reduce((a, b) => a * b, 1),
    );
    simd.depthwise_backprop_filter(pointerOf(backend, x), pointerOf(backend, dy), pointerOf(backend, out), ...geometryOf(c), c.outChannels / c.inChannels);
    return out;
  }
  const dw = backend.typedArrayFromHeap(out).fill(0);
  const input = backend.typedArrayFromHeap(x);
  const g = backend.typedArrayFromHeap(dy);
  eachTap(c, (xAt, dyAt, wAt) => (dw[wAt]! += input[xAt]! * g[dyAt]!));
  return out;
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as KernelConfig['kernelFunc'],
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
