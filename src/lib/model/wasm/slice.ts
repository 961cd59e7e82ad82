import { slice_util, Slice, type KernelConfig, type SliceAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendView } from './heap';

/**
 * Slice by copying rows straight from the heap. tfjs' WASM kernel first copies the whole input out of the heap
 * (`readSync`): slicing a 16-image batch out of a 3,000-image training split cost ~5 ms, as much as the step.
 */
function slice(args: { inputs: { x: TensorInfo }; backend: WasmBackendView; attrs: SliceAttrs }): TensorInfo {
  const {
    inputs: { x },
    backend,
    attrs,
  } = args;
  const [begin = [], size = []] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  const out = backend.makeOutput(size, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const shape = x.shape;
  const rank = shape.length;
  // the innermost axes taken whole form one contiguous run; copy the rest axis by axis
  let inner = rank;
  let run = 1;
  while (inner > 0 && begin[inner - 1] === 0 && size[inner - 1] === shape[inner - 1]) run *= shape[--inner]!;
  if (inner > 0) run *= size[inner - 1]!;
  const outer = Math.max(0, inner - 1);
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  let o = 0;
  const copy = (dim: number, at: number): void => {
    if (dim === outer) {
      const from = at + (rank > 0 ? (begin[dim] ?? 0) * strides[dim]! : 0);
      dst.set(src.subarray(from, from + run), o);
      o += run;
      return;
    }
    for (let i = 0; i < size[dim]!; i++) copy(dim + 1, at + (begin[dim]! + i) * strides[dim]!);
  };
  if (size.every((s) => s > 0)) {
    if (inner === 0) dst.set(src.subarray(0, run));
    else copy(0, 0);
  }
  return out;
}

export const sliceConfig: KernelConfig = {
  kernelName: Slice,
  backendName: 'wasm',
  kernelFunc: slice as unknown as KernelConfig['kernelFunc'],
};
