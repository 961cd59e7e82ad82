import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { geometryOf, pointerOf, simdOf, wasmKernel, type WasmBackendView } from './heap';
import { im2colT } from './im2col';

/**
 * dW = im2col(x)^T . dy: the patches every output pixel read, weighted by that pixel's gradient, summed by
 * the WASM backend's own (SIMD, threaded) matrix multiply. tfjs' WASM backend ships no such kernel. The
 * patches are laid out transposed so the product needs no transposed operand (the matmul's slow path).
 */
function conv2dBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackendView; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const {
    inputs: { x, dy },
    backend,
    attrs,
  } = args;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on WASM supports NHWC only.');
  const c = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const rows = c.batchSize * c.outHeight * c.outWidth;
  const patch = c.filterHeight * c.filterWidth * c.inChannels;
  const cols = backend.makeOutput([1, patch, rows], 'float32');
  const simd = simdOf(backend);
  if (simd) {
    // dW (patch x cout) = colsT (patch x rows) . dy (rows x cout), by our FMA matrix multiply
    const out = backend.makeOutput([...filterShape], 'float32');
    simd.im2col_t(pointerOf(backend, x), pointerOf(backend, cols), ...geometryOf(c));
    simd.gemm(pointerOf(backend, cols), rows, 1, pointerOf(backend, dy), c.outChannels, pointerOf(backend, out), c.outChannels, patch, c.outChannels, rows);
    backend.disposeData(cols.dataId);
    return out;
  }
  // views after every allocation: growing the WASM heap detaches earlier ones
  im2colT(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(cols), c);
  const dy3 = wasmKernel('Reshape', backend, { x: dy }, { shape: [1, rows, c.outChannels] });
  const dw = wasmKernel('BatchMatMul', backend, { a: cols, b: dy3 }, { transposeA: false, transposeB: false });
  backend.disposeData(cols.dataId);
  backend.disposeData(dy3.dataId);
  const out = wasmKernel('Reshape', backend, { x: dw }, { shape: [...filterShape] });
  backend.disposeData(dw.dataId);
  return out;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
