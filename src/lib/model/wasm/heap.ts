import { getKernel, type DataType, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** The slice of tfjs' WASM backend our kernels use (its class is not exported as a type we can import). */
export interface WasmBackendView {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A view of the tensor's bytes in the heap, typed by its dtype (Float32Array for float32). */
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

/** Calls a kernel the WASM backend registers itself (BatchMatMul, Reshape, Conv2D...) from inside ours. */
export function wasmKernel(name: string, backend: WasmBackendView, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`The WASM backend has no ${name} kernel.`);
  const run = kernel.kernelFunc as unknown as (args: { inputs: Record<string, TensorInfo>; backend: WasmBackendView; attrs: NamedAttrMap }) => TensorInfo;
  return run({ inputs, backend, attrs });
}

export type { KernelFunc };
