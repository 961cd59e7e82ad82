import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { BackendName } from '../../src/lib/model/names';

/** The clock in GHz: what Node reports, else /proc/cpuinfo's "cpu MHz" (virtual machines often report 0 to Node). */
export function cpuGhz(): number {
  const speed = cpus()[0]?.speed ?? 0;
  if (speed > 0) return speed / 1000;
  try {
    const mhz = Number(/cpu MHz\s*:\s*([\d.]+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]);
    return Number.isFinite(mhz) && mhz > 0 ? mhz / 1000 : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Single-precision FLOPs per cycle and core that each engine's instructions allow on an x86 core with two
 * vector FMA pipes (README "Training benchmark" says why these):
 * - WASM SIMD is 128-bit: 4 lanes x 2 pipes x 2 (a fused multiply-add, relaxed SIMD) = 16;
 * - SwiftShader (WebGPU, WebGL here) JIT-compiles to 256-bit AVX2 FMA: 8 x 2 x 2 = 32;
 * - tfjs' CPU backend is scalar JavaScript: 2 pipes x 1 lane, no FMA = 2, on one thread;
 * - native PyTorch (oneDNN) uses AVX-512 on this EPYC, executed as two 256-bit halves on Zen: 32.
 */
const FLOPS_PER_CYCLE: Record<BackendName | 'native', number> = { wasm: 16, webgpu: 32, webgl: 32, cpu: 2, native: 32 };

/** The arithmetic peak in GFLOP/s an engine can reach on `threads` cores of this machine. */
export function peakGflops(engine: BackendName | 'native', threads: number): number {
  const cores = Math.min(threads, cpus().length);
  return (engine === 'cpu' ? 1 : cores) * FLOPS_PER_CYCLE[engine] * cpuGhz();
}
