import * as tf from '@tensorflow/tfjs';
import { alignKernelTimes, type ProfiledKernel } from '../costmodel/kernelTimes';
import type { KernelInstance } from '../costmodel/runtimeKernels';
import type { LatencyResult } from './protocol';

/**
 * Backends whose kernels run synchronously on this thread, so tfjs' profiler times each one by the clock around
 * it; on WebGL and WebGPU a kernel's time needs GPU timer queries that SwiftShader and most browsers withhold.
 */
const KERNEL_TIMED_BACKENDS: readonly string[] = ['wasm', 'cpu'];

/** Profiled runs per network: enough to average the 5 µs clock down, within about this much time. */
const PROFILE_BUDGET_MS = 15;
const MIN_RUNS = 5;
const MAX_RUNS = 30;

/** Mean of the middle 80%: a kernel that met a GC pause once does not move it. */
function trimmedMean(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.1);
  const middle = sorted.slice(cut, sorted.length - cut);
  return middle.reduce((s, v) => s + v, 0) / middle.length;
}

/**
 * Each kernel's own time inside `model` (ms, in the order tfjs ran them), from repeated profiled batch-`batchSize`
 * runs; `networkMs`, its whole latency, sets how many runs fit the budget. Null on backends that cannot time kernels.
 */
export async function profileKernels(model: tf.LayersModel, batchSize: number, networkMs: number): Promise<ProfiledKernel[] | null> {
  if (!KERNEL_TIMED_BACKENDS.includes(tf.getBackend())) return null;
  const runs = Math.max(MIN_RUNS, Math.min(MAX_RUNS, Math.round(PROFILE_BUDGET_MS / Math.max(networkMs, 1e-3))));
  const input = tf.randomUniform([batchSize, ...(model.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', 1);
  const times: number[][] = [];
  let shapes: Pick<ProfiledKernel, 'name' | 'inputShapes' | 'outputShapes'>[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const info = await tf.profile(() => model.predict(input) as tf.Tensor);
      (info.result as tf.Tensor).dispose();
      if (r === 0) shapes = info.kernels.map((k) => ({ name: k.name, inputShapes: k.inputShapes, outputShapes: k.outputShapes }));
      if (info.kernels.length !== shapes.length) return null;
      info.kernels.forEach((k, i) => (times[i] ??= []).push(typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : NaN));
    }
  } finally {
    input.dispose();
  }
  return shapes.map((s, i) => ({ ...s, ms: trimmedMean(times[i]!) }));
}

/**
 * Each of `kernels`' own time inside `model` (ms, aligned with `kernels`), taken to the same speed as `timing`
 * (its median over the raw median it was timed at), or undefined where the backend cannot profile kernels or the
 * profile does not match `kernels`. A candidate's kernels then teach the latency model each kind's cost from the
 * first candidates on, where its whole time alone cannot tell one kind from another.
 */
export async function kernelTimesInPlace(model: tf.LayersModel, kernels: readonly KernelInstance[], timing: LatencyResult): Promise<number[] | undefined> {
  const rawMs = timing.rawMedianMs ?? timing.medianMs;
  if (!(rawMs > 0)) return undefined;
  const profile = await profileKernels(model, timing.batchSize, rawMs);
  const times = profile && alignKernelTimes(kernels, profile);
  return times?.map((ms) => (ms * timing.medianMs) / rawMs);
}
