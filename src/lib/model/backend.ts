import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';

export const BACKENDS = ['webgpu', 'webgl', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendPreference = 'auto' | BackendName;

/** Which backend a worker trains on, and why; stored with every result. */
export interface BackendInfo {
  readonly name: BackendName;
  readonly requested: BackendPreference;
  /** Backends tried first that failed, with the reason each gave. */
  readonly skipped: readonly { readonly name: BackendName; readonly reason: string }[];
  /** GPU adapter description where the backend exposes one (vendor, architecture). */
  readonly adapter: string | null;
}

async function trySetBackend(name: BackendName): Promise<string | null> {
  try {
    if (!(name in tf.engine().registryFactory)) return 'not available in this browser';
    return (await tf.setBackend(name)) ? null : 'failed to initialise';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function adapterDescription(): string | null {
  const backend = tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string; description?: string } };
  const info = backend.adapterInfo;
  if (!info) return null;
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || null;
}

/**
 * Chooses the backend once per worker: the requested one, or for 'auto' WebGPU, then WebGL, then CPU.
 * Throws with every reason when nothing loads.
 */
export async function selectBackend(requested: BackendPreference): Promise<BackendInfo> {
  const order: readonly BackendName[] = requested === 'auto' ? BACKENDS : [requested];
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of order) {
    const reason = await trySetBackend(name);
    if (reason === null) {
      await tf.ready();
      return { name, requested, skipped, adapter: name === 'webgpu' ? adapterDescription() : null };
    }
    skipped.push({ name, reason });
  }
  throw new Error(`No TensorFlow.js backend could start (${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}).`);
}
