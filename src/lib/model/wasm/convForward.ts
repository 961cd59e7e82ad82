import { backend_util, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { geometryOf, pointerOf, simdOf, type WasmBackendView } from './heap';

/** Patch rows made at a time: a scratch buffer of at most 4 MB, however large the layer. */
const CHUNK_FLOATS = 1 << 20;

/**
 * The training forward of conv2d + bias + ReLU (or none) with this project's FMA matrix multiply: patch rows
 * (im2col) in chunks, times the filter (patch x cout, as stored), then the bias and activation. XNNPACK's
 * kernel has no fused multiply-add in tfjs 4.22's build. Returns null where it does not apply (no SIMD kernels,
 * another activation): the backend's own FusedConv2D runs then. Inference never comes here.
 */
export function wasmConvForward(
  inputs: { x: TensorInfo; filter: TensorInfo; bias: TensorInfo },
  backend: WasmBackendView,
  attrs: NamedAttrMap,
): TensorInfo | null {
  const simd = simdOf(backend);
  const activation = attrs['activation'];
  if (!simd || (activation !== 'relu' && activation !== 'linear')) return null;
  const { x, filter, bias } = inputs;
  const c = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs['strides'] as [number, number],
    1,
    attrs['pad'] as 'same' | 'valid',
    'floor',
    false,
    'channelsLast',
  );
  const rows = c.batchSize * c.outHeight * c.outWidth;
  const patch = c.filterHeight * c.filterWidth * c.inChannels;
  const cout = c.outChannels;
  const out = backend.makeOutput([c.batchSize, c.outHeight, c.outWidth, cout], 'float32');
  const pointwise = c.filterHeight === 1 && c.filterWidth === 1 && c.strideHeight === 1 && c.strideWidth === 1;
  if (pointwise) {
    simd.gemm(pointerOf(backend, x), patch, 1, pointerOf(backend, filter), cout, pointerOf(backend, out), cout, rows, cout, patch);
  } else {
    const chunk = Math.max(1, Math.min(rows, Math.floor(CHUNK_FLOATS / patch)));
    const cols = backend.makeOutput([chunk, patch], 'float32');
    const [colsAt, xAt, wAt, outAt] = [pointerOf(backend, cols), pointerOf(backend, x), pointerOf(backend, filter), pointerOf(backend, out)];
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const r1 = Math.min(rows, r0 + chunk);
      simd.im2col_rows(xAt, colsAt, ...geometryOf(c), r0, r1);
      simd.gemm(colsAt, patch, 1, wAt, cout, outAt + 4 * r0 * cout, cout, r1 - r0, cout, patch);
    }
    backend.disposeData(cols.dataId);
  }
  simd.bias_activation(pointerOf(backend, out), pointerOf(backend, bias), rows, cout, activation === 'relu' ? 1 : 0);
  return out;
}
