import { arrayOptimizerKernels } from '../optimizer/arrayKernel';
import type { WasmBackendView } from './heap';

/** Fused Adam and momentum on the WASM heap: one JS loop per variable instead of ~14 kernel calls. */
export const wasmOptimizerKernels = arrayOptimizerKernels<WasmBackendView>('wasm', (backend) => ({
  allocate: (shape) => backend.makeOutput([...shape], 'float32'),
  view: (info) => backend.typedArrayFromHeap(info),
}));
