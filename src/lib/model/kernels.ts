import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { cpuOptimizerKernels } from './cpu/optimizers';
import { WASM_ADDED, WASM_REPLACED } from './wasm/register';
import { webgpuOptimizerKernels } from './webgpu/optimizers';
import { registerFusedConv } from './fusedConv';

/** Every kernel this project adds to a tfjs backend; each is checked against tfjs' own in the unit tests. */
const ADDED: readonly KernelConfig[] = [...WASM_ADDED, ...cpuOptimizerKernels, ...webgpuOptimizerKernels];
/** Kernels tfjs has, replaced by faster ones of ours. */
const REPLACED: readonly KernelConfig[] = WASM_REPLACED;

let registered = false;

/** Registers them once (nothing is patched inside tfjs): the WASM backend can then train every op the genome produces. */
export function registerProjectKernels(): void {
  if (registered) return;
  registered = true;
  registerFusedConv();
  for (const config of ADDED) if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  for (const config of REPLACED) {
    if (getKernel(config.kernelName, config.backendName)) unregisterKernel(config.kernelName, config.backendName);
    registerKernel(config);
  }
}
