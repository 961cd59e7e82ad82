import type { BackendName } from '../model/names';
import { MAX_POOL_SIZE } from './config';
/** Memory one training worker may take: data, model, optimizer and the WASM heap's slack. */
const GB_PER_WORKER = 1;

/** What sizes a pool: logical cores and memory as the browser reports them (`deviceMemory` is capped at 8). */
export interface DeviceSize {
  readonly cores: number;
  readonly memoryGb: number | null;
}

/**
 * How many training workers a device runs side by side by default: one per core on the CPU backends (WASM,
 * tfjs CPU), as many as its memory holds, and one where training runs on a GPU (WebGPU, WebGL), which the
 * workers would share (README "Worker pool" has the measurements behind both).
 */
export function defaultPoolSize(device: DeviceSize, training: BackendName): number {
  if (training === 'webgpu' || training === 'webgl') return 1;
  const byCores = Math.min(MAX_POOL_SIZE, Math.max(1, Math.floor(device.cores)));
  const byMemory = Math.max(1, Math.floor((device.memoryGb ?? 4) / GB_PER_WORKER));
  return Math.min(byCores, byMemory);
}

/**
 * XNNPACK threads per worker when a pool trains on WASM: the cores shared out (two single-threaded workers beat
 * one two-threaded one, README "Worker pool"); undefined (one per core) for a single worker or another backend.
 */
export function wasmThreadsFor(size: number, device: DeviceSize, training: BackendName): number | undefined {
  return training === 'wasm' && size > 1 ? Math.max(1, Math.floor(device.cores / size)) : undefined;
}
