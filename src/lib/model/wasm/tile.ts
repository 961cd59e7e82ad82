import { Tile, type KernelConfig, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs-core';
import type { WasmBackendView } from './heap';

/**
 * Tile by block copies: each axis, innermost first, repeats the block already written with `copyWithin`.
 * tfjs' WASM kernel walks every output element; batch norm's gradient tiles a per-channel vector over a whole
 * feature map, which made it a quarter of a step for networks with batch norm.
 */
function tile(args: { inputs: { x: TensorInfo }; backend: WasmBackendView; attrs: TileAttrs }): TensorInfo {
  const {
    inputs: { x },
    backend,
    attrs: { reps },
  } = args;
  const shape = x.shape;
  const outShape = shape.map((d, i) => d * reps[i]!);
  const out = backend.makeOutput(outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = shape.length;
  // outStride[d]: elements of the output below axis d; inSize[d]: elements of the input below axis d
  const outStride = new Array<number>(rank + 1).fill(1);
  const inStride = new Array<number>(rank + 1).fill(1);
  for (let d = rank - 1; d >= 0; d--) {
    outStride[d] = outStride[d + 1]! * outShape[d]!;
    inStride[d] = inStride[d + 1]! * shape[d]!;
  }
  const fill = (dim: number, outAt: number, inAt: number): void => {
    if (dim === rank) {
      dst[outAt] = src[inAt]!;
      return;
    }
    const block = shape[dim]! * outStride[dim + 1]!;
    if (dim === rank - 1) dst.set(src.subarray(inAt, inAt + shape[dim]!), outAt);
    else for (let i = 0; i < shape[dim]!; i++) fill(dim + 1, outAt + i * outStride[dim + 1]!, inAt + i * inStride[dim + 1]!);
    for (let r = 1; r < reps[dim]!; r++) dst.copyWithin(outAt + r * block, outAt, outAt + block);
  };
  if (rank === 0) dst[0] = src[0]!;
  else fill(0, 0, 0);
  return out;
}

export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelConfig['kernelFunc'],
};
