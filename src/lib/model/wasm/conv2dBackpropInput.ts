import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { wasmKernel, type WasmBackendView } from './heap';
import { col2im } from './im2col';

/**
 * dx = col2im(dy . W^T): each output pixel's gradient spread back over the window it read, through the WASM
 * backend's fast matrix multiply. Replaces tfjs' own WASM kernel, a direct loop several times slower.
 */
function conv2dBackpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackendView; attrs: Conv2DBackpropInputAttrs }): TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropInput on WASM supports NHWC only.');
  const filterShape = filter.shape as [number, number, number, number];
  const c = backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const rows = c.batchSize * c.outHeight * c.outWidth;
  const patch = c.filterHeight * c.filterWidth * c.inChannels;
  // W^T (cout x patch) is small: transposing it here keeps the product on the matmul's fast path
  const wT = backend.makeOutput([1, c.outChannels, patch], 'float32');
  const w = backend.typedArrayFromHeap(filter);
  const t = backend.typedArrayFromHeap(wT);
  for (let k = 0; k < patch; k++) for (let o = 0; o < c.outChannels; o++) t[o * patch + k] = w[k * c.outChannels + o]!;
  const dy3 = wasmKernel('Reshape', backend, { x: dy }, { shape: [1, rows, c.outChannels] });
  const cols = wasmKernel('BatchMatMul', backend, { a: dy3, b: wT }, { transposeA: false, transposeB: false });
  backend.disposeData(dy3.dataId);
  backend.disposeData(wT.dataId);
  const out = backend.makeOutput([...inputShape], 'float32');
  col2im(backend.typedArrayFromHeap(cols), backend.typedArrayFromHeap(out).fill(0), c);
  backend.disposeData(cols.dataId);
  return out;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelConfig['kernelFunc'],
};
