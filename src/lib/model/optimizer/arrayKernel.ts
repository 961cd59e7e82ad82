import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { FUSED_ADAM, FUSED_MOMENTUM, slot, type AdamAttrs, type MomentumAttrs } from './kernels';
import { adamUpdate, momentumUpdate } from './math';

/** How a backend whose tensors live in memory JavaScript can see (cpu, wasm) allocates and exposes them. */
export interface ArrayMemory {
  allocate(shape: readonly number[]): TensorInfo;
  /** A view of a tensor's values; taken after every allocation (a growing WASM heap detaches older views). */
  view(info: TensorInfo): Float32Array;
}

type Update = (value: Float32Array, gradient: Float32Array, state: Float32Array, outValue: Float32Array, outState: Float32Array) => void;

/** Runs a fused update over `count` variables: allocates every output first, then updates each variable in one pass. */
export function updateArrays(inputs: NamedTensorInfoMap, count: number, memory: ArrayMemory, update: Update): TensorInfo[] {
  const outputs: TensorInfo[] = [];
  const at = (name: string): TensorInfo => {
    const info = inputs[name];
    if (!info) throw new Error(`The fused optimizer kernel lacks its input ${name}.`);
    return info;
  };
  for (let i = 0; i < count; i++) outputs.push(memory.allocate(at(slot(i).value).shape), memory.allocate(at(slot(i).state).shape));
  for (let i = 0; i < count; i++) {
    const s = slot(i);
    update(memory.view(at(s.value)), memory.view(at(s.gradient)), memory.view(at(s.state)), memory.view(outputs[2 * i]!), memory.view(outputs[2 * i + 1]!));
  }
  return outputs;
}

/**
 * The fused Adam and momentum kernels for a backend with JS-visible memory, each one JS loop per variable.
 * `memoryOf` adapts the backend object tfjs passes to the kernel.
 */
export function arrayOptimizerKernels<B>(backendName: string, memoryOf: (backend: B) => ArrayMemory): KernelConfig[] {
  type Args<A> = { inputs: NamedTensorInfoMap; backend: B; attrs: A };
  const adam = ({ inputs, backend, attrs }: Args<AdamAttrs>) =>
    updateArrays(inputs, attrs.count, memoryOf(backend), (p, g, s, op, os) => adamUpdate(p, g, s, op, os, attrs));
  const momentum = ({ inputs, backend, attrs }: Args<MomentumAttrs>) =>
    updateArrays(inputs, attrs.count, memoryOf(backend), (p, g, s, op, os) => momentumUpdate(p, g, s, op, os, attrs));
  return [
    { kernelName: FUSED_ADAM, backendName, kernelFunc: adam as unknown as KernelConfig['kernelFunc'] },
    { kernelName: FUSED_MOMENTUM, backendName, kernelFunc: momentum as unknown as KernelConfig['kernelFunc'] },
  ];
}
