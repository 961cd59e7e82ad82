import * as tf from '@tensorflow/tfjs';
import { median } from '../core/stats';
import { DEFAULT_PROTOCOL, summarize, timedRuns, warmupDone, type LatencyProtocol, type LatencyResult } from './protocol';

export type { LatencyProtocol, LatencyResult } from './protocol';

/**
 * The one place latency is taken: a cold run, warm-up until stable, then timed runs, each awaited to
 * completion. `once` runs the workload and resolves when the device has finished it.
 */
export async function timeProtocol(once: () => Promise<void>, p: LatencyProtocol = DEFAULT_PROTOCOL): Promise<LatencyResult> {
  const time = async () => {
    const start = performance.now();
    await once();
    return performance.now() - start;
  };
  const coldMs = await time();
  const warm: number[] = [];
  while (!warmupDone(warm, p)) warm.push(await time());
  const n = timedRuns(warm.length ? median(warm.slice(-5)) : coldMs, p);
  const timed: number[] = [];
  for (let i = 0; i < n; i++) timed.push(await time());
  return summarize(coldMs, warm, timed, p.batchSize);
}

/** Batch-`batchSize` inference latency of a model on the current backend. */
export async function measureModel(model: tf.LayersModel, p: LatencyProtocol = DEFAULT_PROTOCOL): Promise<LatencyResult> {
  const input = tf.randomUniform([p.batchSize, ...(model.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', 1);
  try {
    return await timeProtocol(async () => {
      const output = model.predict(input) as tf.Tensor;
      await output.data(); // waits until the device has finished, not just until the work was queued
      if (output !== input) output.dispose();
    }, p);
  } finally {
    input.dispose();
  }
}
