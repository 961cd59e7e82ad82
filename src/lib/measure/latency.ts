import * as tf from '@tensorflow/tfjs';
import { median, quantile } from './stats';

export interface LatencyOptions {
  /** Timed runs after warm-up; the median of these is the figure. */
  readonly runs: number;
  /** Warm-up stops once three consecutive runs agree within 20%, or after this many. */
  readonly maxWarmup: number;
  readonly batchSize: number;
}

export const DEFAULT_LATENCY: LatencyOptions = { runs: 30, maxWarmup: 20, batchSize: 1 };

/** Inference latency of one model on the current backend, all in milliseconds. */
export interface LatencyResult {
  /** The first run, which compiles shaders / pipelines; never part of the median. */
  readonly coldMs: number;
  readonly medianMs: number;
  readonly p25Ms: number;
  readonly p75Ms: number;
  readonly runs: number;
  readonly warmupRuns: number;
  readonly batchSize: number;
}

async function timeOnce(model: tf.LayersModel, input: tf.Tensor): Promise<number> {
  const start = performance.now();
  const output = model.predict(input) as tf.Tensor;
  await output.data(); // waits until the device has finished, not just until the work was queued
  const elapsed = performance.now() - start;
  output.dispose();
  return elapsed;
}

const stable = (t: readonly number[]): boolean => {
  if (t.length < 3) return false;
  const last = t.slice(-3);
  return Math.max(...last) <= 1.2 * Math.min(...last);
};

/** Warm-up until stable, then `runs` timed batch-`batchSize` inferences, each awaited to completion. */
export async function measureLatency(model: tf.LayersModel, options: LatencyOptions = DEFAULT_LATENCY): Promise<LatencyResult> {
  const shape = model.inputs[0]!.shape.slice(1) as number[];
  const input = tf.randomUniform([options.batchSize, ...shape], 0, 1, 'float32', 1);
  try {
    const coldMs = await timeOnce(model, input);
    const warm: number[] = [];
    while (warm.length < options.maxWarmup && !stable(warm)) warm.push(await timeOnce(model, input));
    const timings: number[] = [];
    for (let i = 0; i < options.runs; i++) timings.push(await timeOnce(model, input));
    return {
      coldMs,
      medianMs: median(timings),
      p25Ms: quantile(timings, 0.25),
      p75Ms: quantile(timings, 0.75),
      runs: options.runs,
      warmupRuns: warm.length,
      batchSize: options.batchSize,
    };
  } finally {
    input.dispose();
  }
}
