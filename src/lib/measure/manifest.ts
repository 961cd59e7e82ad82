import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../model/backend';
import type { DeviceManifest } from '../records/device';

/** Smallest positive difference between consecutive performance.now() readings. */
export function timerResolutionMs(samples = 200): number {
  let best = Infinity;
  let last = performance.now();
  for (let seen = 0; seen < samples;) {
    const now = performance.now();
    if (now > last) {
      best = Math.min(best, now - last);
      seen++;
      last = now;
    }
  }
  return Math.round(best * 1e4) / 1e4;
}

interface WebGpuBackendView {
  readonly adapterInfo?: { readonly vendor?: string; readonly architecture?: string; readonly device?: string; readonly description?: string };
  readonly device?: { readonly limits?: Record<string, unknown> };
}

function gpuDetails(): Pick<DeviceManifest, 'adapter' | 'gpuLimits'> {
  const backend = tf.backend() as unknown as WebGpuBackendView;
  const info = backend.adapterInfo;
  const limits = backend.device?.limits;
  const gpuLimits: Record<string, number> = {};
  if (limits) for (const key in limits) if (typeof limits[key] === 'number') gpuLimits[key] = limits[key] as number;
  return {
    adapter: info ? { vendor: info.vendor ?? '', architecture: info.architecture ?? '', device: info.device ?? '', description: info.description ?? '' } : null,
    gpuLimits: limits ? gpuLimits : null,
  };
}

/** The manifest of the current worker and tfjs backend. */
export function captureManifest(backend: BackendName): DeviceManifest {
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency,
    backend,
    ...(backend === 'webgpu' ? gpuDetails() : { adapter: null, gpuLimits: null }),
    timerResolutionMs: timerResolutionMs(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    capturedAt: Date.now(),
  };
}

/** Calibration profiles are per device and backend: same browser, same adapter, same backend. */
export function deviceKey(m: Pick<DeviceManifest, 'userAgent' | 'backend' | 'adapter' | 'hardwareConcurrency'>): string {
  const adapter = m.adapter ? `${m.adapter.vendor}/${m.adapter.architecture}/${m.adapter.device}` : '-';
  return `${m.backend}|${adapter}|${m.hardwareConcurrency}|${m.userAgent}`;
}

export type { DeviceManifest } from '../records/device';
