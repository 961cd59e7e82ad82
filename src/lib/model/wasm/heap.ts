import { getKernel, type backend_util, type DataType, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels, type Geometry, type SimdKernels } from './simd/module';

/** The slice of tfjs' WASM backend our kernels use (its class is not exported as a type we can import). */
export interface WasmBackendView {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view of the tensor's bytes in the heap, typed by its dtype (Float32Array for float32). */
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
  /** The emscripten module (its memory is what our SIMD kernels work on). */
  readonly wasm: unknown;
}

/** This project's SIMD kernels on this backend's heap, or null (then the JavaScript loops run). */
export const simdOf = (backend: WasmBackendView): SimdKernels | null => simdKernels(backend.wasm);

/** A tensor's byte offset in the heap: what a SIMD kernel takes as a pointer. */
export const pointerOf = (backend: WasmBackendView, info: TensorInfo): number => backend.typedArrayFromHeap(info).byteOffset;

/** A convolution's or pooling's geometry in kernels.c's argument order. */
export function geometryOf(c: backend_util.Conv2DInfo): Geometry {
  return [
    c.batchSize,
    c.inHeight,
    c.inWidth,
    c.inChannels,
    c.outHeight,
    c.outWidth,
    c.filterHeight,
    c.filterWidth,
    c.strideHeight,
    c.strideWidth,
    c.padInfo.top,
    c.padInfo.left,
    c.dilationHeight,
    c.dilationWidth,
  ];
}

/** Calls a kernel the WASM backend registers itself (BatchMatMul, Reshape, Conv2D...) from inside ours. */
export function wasmKernel(name: string, backend: WasmBackendView, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`The WASM backend has no ${name} kernel.`);
  const run = kernel.kernelFunc as unknown as (args: { inputs: Record<string, TensorInfo>; backend: WasmBackendView; attrs: NamedAttrMap }) => TensorInfo;
  return run({ inputs, backend, attrs });
}

export type { KernelFunc };
