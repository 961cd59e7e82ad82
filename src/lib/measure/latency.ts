import * as tf from '@tensorflow/tfjs';
import { median } from '../core/stats';
import {
  DEFAULT_PROTOCOL,
  inferencesPerSample,
  spreadOf,
  summarize,
  summarizePaired,
  timedRuns,
  warmupDone,
  type LatencyProtocol,
  type LatencyResult,
  type PairedReference,
} from './protocol';

export type { LatencyProtocol, LatencyResult } from './protocol';

/** Mean ms of `k` runs of `once` back to back, each awaited to completion. */
export async function meanRunMs(once: () => Promise<void>, k = 1): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < k; i++) await once();
  return (performance.now() - start) / k;
}

/** One inference of `model` on `input`, resolved once the device has finished it, not just once it was queued. */
export const inferenceOf = (model: tf.LayersModel, input: tf.Tensor) => async (): Promise<void> => {
  const output = model.predict(input) as tf.Tensor;
  await output.data();
  if (output !== input) output.dispose();
};

/**
 * The one place latency is taken: a cold run, warm-up until stable, then timed samples of one or more runs
 * back to back (see `minSampleMs`), each awaited to completion. `once` runs the workload and resolves when the
 * device has finished it. With a `reference`, each sample is followed by one of the reference, and the result is
 * the workload's time over the reference's at the machine's usual speed (see `summarizePaired`).
 */
export async function timeProtocol(once: () => Promise<void>, p: LatencyProtocol = DEFAULT_PROTOCOL, reference?: PairedReference): Promise<LatencyResult> {
  const time = (k = 1) => meanRunMs(once, k);
  const warmStart = performance.now();
  const coldMs = await time();
  const warm: number[] = [];
  while (!warmupDone(warm, p)) warm.push(await time());
  const warmMs = warm.length ? median(warm.slice(-5)) : coldMs;
  const n = timedRuns(warmMs, p);
  const k = inferencesPerSample(warmMs, p);
  while (performance.now() - warmStart < (p.minWarmupMs ?? 0)) await time(k);
  const take = async (): Promise<LatencyResult> => {
    const timed: number[] = [];
    const referenceMs: number[] = [];
    for (let i = 0; i < n; i++) {
      timed.push(await time(k));
      if (reference) referenceMs.push(await reference.sample());
    }
    return reference ? summarizePaired(coldMs, warm, timed, referenceMs, reference.usualMs(), p.batchSize) : summarize(coldMs, warm, timed, p.batchSize);
  };
  let best = await take();
  // a take whose samples scatter was disturbed (something else ran on the cores): take again, keep the steadiest
  for (let r = 0; r < (p.retakes ?? 0) && spreadOf(best) > (p.retakeSpread ?? Infinity); r++) {
    const again = await take();
    if (spreadOf(again) < spreadOf(best)) best = again;
  }
  return best;
}

/** Batch-`batchSize` inference latency of a model on the current backend (at usual speed, with a `reference`). */
export async function measureModel(model: tf.LayersModel, p: LatencyProtocol = DEFAULT_PROTOCOL, reference?: PairedReference): Promise<LatencyResult> {
  const input = tf.randomUniform([p.batchSize, ...(model.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', 1);
  try {
    return await timeProtocol(inferenceOf(model, input), p, reference);
  } finally {
    input.dispose();
  }
}
