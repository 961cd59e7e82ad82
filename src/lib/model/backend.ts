import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-wasm';
import { useBundledWasm } from './wasm/paths';
import { registerProjectKernels } from './kernels';
import { BACKENDS, type BackendName, type BackendPreference } from './names';
import type { BackendInfo } from '../records/device';

export { BACKENDS, type BackendName, type BackendPreference } from './names';

// WASM trains here too (its missing gradient kernels come from src/lib/model/wasm), and the fused optimizers
useBundledWasm();
registerProjectKernels();

/** A backend that has not started after this long will not (e.g. WASM threads whose workers cannot load). */
const BACKEND_START_TIMEOUT_MS = 30_000;

/** Makes `name` the current backend; null when it started, else why not. */
export async function trySetBackend(name: BackendName): Promise<string | null> {
  try {
    if (!(name in tf.engine().registryFactory)) return 'not available in this browser';
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), BACKEND_START_TIMEOUT_MS));
    const started = await Promise.race([tf.setBackend(name), timeout]);
    if (started === 'timeout') return `did not start within ${BACKEND_START_TIMEOUT_MS / 1000} s`;
    return started ? null : 'failed to initialise';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The WebGL renderer's name, where the browser tells it (e.g. "ANGLE (Google, Vulkan (SwiftShader ...))"). */
function webglRenderer(): string | null {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null;
}

/** Renderers that emulate a GPU on the CPU: on such a device nothing runs a model that way when deployed. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software rasterizer|basic render/i;

/** Why the current GPU backend is no target for 'auto', or null when it is a real GPU (or not a GPU backend). */
function softwareGpu(name: BackendName): string | null {
  const renderer = name === 'webgpu' ? adapterDescription() : name === 'webgl' ? webglRenderer() : null;
  return renderer && SOFTWARE_RENDERER.test(renderer) ? `a software renderer (${renderer}); WASM runs models faster here` : null;
}

function adapterDescription(): string | null {
  const backend = tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string; description?: string } };
  const info = backend.adapterInfo;
  if (!info) return null;
  return [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || null;
}

/** The backends to try, in order: for 'auto' all; else the requested one, and after a failure the slower ones too. */
export function backendChain(requested: BackendPreference, exclude: readonly BackendName[]): BackendName[] {
  const chain = requested === 'auto' ? BACKENDS : exclude.length ? BACKENDS.slice(BACKENDS.indexOf(requested)) : [requested];
  return chain.filter((name) => !exclude.includes(name));
}

/**
 * Chooses the backend once per worker: the requested one, or for 'auto' WebGPU, then WebGL, then WASM, then
 * CPU, passing over a GPU backend that runs on a software renderer (SwiftShader: Chrome's CPU emulation of a
 * GPU, hundreds of times slower at inference than WASM; no deployed model would run there). Backends that
 * failed earlier in the run are skipped. Throws with every reason when nothing loads.
 * `failing` makes one backend fail to load (fault injection).
 */
export async function selectBackend(
  requested: BackendPreference,
  exclude: readonly BackendName[] = [],
  failing: BackendName | null = null,
): Promise<BackendInfo> {
  const skipped: { name: BackendName; reason: string }[] = exclude.map((name) => ({ name, reason: 'failed earlier in this run' }));
  const order = backendChain(requested, exclude);
  if (order.length === 0) throw new Error(`No TensorFlow.js backend is left to try (${skipped.map((s) => s.name).join(', ')} failed earlier in this run).`);
  for (const name of order) {
    const started = name === failing ? 'failed to load (injected fault)' : await trySetBackend(name);
    const reason = started ?? (requested === 'auto' && order.length > 1 ? softwareGpu(name) : null);
    if (reason === null) {
      await tf.ready();
      return { name, requested, skipped, adapter: name === 'webgpu' ? adapterDescription() : null };
    }
    skipped.push({ name, reason });
  }
  throw new Error(`No TensorFlow.js backend could start (${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}).`);
}

export type { BackendInfo } from '../records/device';
