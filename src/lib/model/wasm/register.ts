import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise';
import { maxPoolGradConfig } from './maxPoolGrad';

/** Training kernels tfjs' WASM backend lacks, from this project (nothing patched inside tfjs). */
const MISSING: readonly KernelConfig[] = [conv2dBackpropFilterConfig, depthwiseBackpropInputConfig, depthwiseBackpropFilterConfig];
/** Kernels it has, replaced by faster ones (measured with `npm run bench:train`). */
const FASTER: readonly KernelConfig[] = [conv2dBackpropInputConfig, maxPoolGradConfig];

let registered = false;

/** Registers them once; the WASM backend can then train every op the genome produces. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  for (const config of MISSING) if (!getKernel(config.kernelName, config.backendName)) registerKernel(config);
  for (const config of FASTER) {
    if (getKernel(config.kernelName, config.backendName)) unregisterKernel(config.kernelName, config.backendName);
    registerKernel(config);
  }
}
