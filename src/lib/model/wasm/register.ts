import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise';

/** The training kernels tfjs' WASM backend lacks, from this project (nothing patched inside tfjs). */
const TRAINING_KERNELS: readonly KernelConfig[] = [conv2dBackpropFilterConfig, depthwiseBackpropInputConfig, depthwiseBackpropFilterConfig];

/** Registers them once; the WASM backend can then train every op the genome produces. */
export function registerWasmTrainingKernels(): void {
  for (const config of TRAINING_KERNELS) if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
}
