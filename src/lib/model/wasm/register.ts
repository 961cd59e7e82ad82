import type { KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise';
import { maxPoolGradConfig } from './maxPoolGrad';
import { wasmOptimizerKernels } from './optimizers';
import { sliceConfig } from './slice';
import { tileConfig } from './tile';

/** Training kernels tfjs' WASM backend lacks, from this project (nothing patched inside tfjs), and the fused optimizers. */
export const WASM_ADDED: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  ...wasmOptimizerKernels,
];
/** Kernels it has, replaced by faster ones (measured with `npm run bench:train` and the per-op profile). */
export const WASM_REPLACED: readonly KernelConfig[] = [conv2dBackpropInputConfig, maxPoolGradConfig, tileConfig, sliceConfig];
