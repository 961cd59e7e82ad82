import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { geometryOf, pointerOf, simdOf, wasmKernel, type WasmBackendView } from './heap';
import { col2im } from './im2col';

/**
 * dx = col2im(dy . W^T): each output pixel's gradient spread back over the window it read. With this project's
 * SIMD kernels the product is our FMA matrix multiply on W as stored (patch x cout, read as its transpose's
 * rows after a small transpose), else the WASM backend's. Replaces tfjs' own kernel, a direct loop several
 * times slower.
 */
function conv2dBackpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackendView; attrs: Conv2DBackpropInputAttrs }): TensorInfo {
  const {
    inputs: { dy, filter },
    backend,
    attrs,
  } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropInput on WASM supports NHWC only.');
  const filterShape = filter.shape as [number, number, number, number];
  const c = backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const rows = c.batchSize * c.outHeight * c.outWidth;
  const patch = c.filterHeight * c.filterWidth * c.inChannels;
  const cout = c.outChannels;
  // W^T (cout x patch) is small: transposed once so the product reads contiguous rows
  const wT = backend.makeOutput([1, cout, patch], 'float32');
  const simd = simdOf(backend);
  let cols: TensorInfo;
  if (simd) {
    simd.transpose(pointerOf(backend, filter), cout, pointerOf(backend, wT), cout, patch);
    cols = backend.makeOutput([rows, patch], 'float32');
    simd.gemm(pointerOf(backend, dy), cout, 1, pointerOf(backend, wT), patch, pointerOf(backend, cols), patch, rows, patch, cout);
  } else {
    const w = backend.typedArrayFromHeap(filter);
    const t = backend.typedArrayFromHeap(wT);
    for (let k = 0; k < patch; k++) for (let o = 0; o < cout; o++) t[o * patch + k] = w[k * cout + o]!;
    const dy3 = wasmKernel('Reshape', backend, { x: dy }, { shape: [1, rows, cout] });
    cols = wasmKernel('BatchMatMul', backend, { a: dy3, b: wT }, { transposeA: false, transposeB: false });
    backend.disposeData(dy3.dataId);
  }
  backend.disposeData(wT.dataId);
  const out = backend.makeOutput([...inputShape], 'float32');
  if (simd) {
    simd.zero(
      pointerOf(backend, out),
      inputShape.reduce((a, b) => a * b, 1),
    );
    simd.col2im(pointerOf(backend, cols), pointerOf(backend, out), ...geometryOf(c));
  } else {
    col2im(backend.typedArrayFromHeap(cols), backend.typedArrayFromHeap(out).fill(0), c);
  }
  backend.disposeData(cols.dataId);
  return out;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelConfig['kernelFunc'],
};
