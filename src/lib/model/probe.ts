import * as tf from '@tensorflow/tfjs';
import { BACKENDS, type BackendName } from './names';
import type { BackendProbe } from '../records/device';

const PROBE_BATCH = 32;
const PROBE_STEPS = 2;

/** Two conv blocks and a classifier: the shape of a typical candidate, small enough to probe in seconds. */
function probeModel(input: readonly [number, number, number], classes: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [...input], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: classes }),
    ],
  });
}

async function stepsPerSecond(input: readonly [number, number, number], classes: number): Promise<number> {
  const model = probeModel(input, classes);
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([PROBE_BATCH, ...input], 0, 1, 'float32', 1);
  const y = tf
    .oneHot(
      tf.tensor1d(
        Int32Array.from({ length: PROBE_BATCH }, (_, i) => i % classes),
        'int32',
      ),
      classes,
    )
    .toFloat();
  const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
  try {
    const warm = step();
    await warm.data(); // compiles shaders / JITs kernels outside the timing
    warm.dispose();
    const start = performance.now();
    const losses = Array.from({ length: PROBE_STEPS }, step);
    await losses[losses.length - 1]!.data();
    const seconds = (performance.now() - start) / 1000;
    tf.dispose(losses);
    return (PROBE_STEPS * PROBE_BATCH) / seconds;
  } finally {
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * Times a few training steps on every backend `start` can start and returns the fastest. Leaves the current
 * backend as it found it. `start` sets a backend and says why not when it cannot.
 */
export async function probeBackends(
  input: readonly [number, number, number],
  classes: number,
  start: (name: BackendName) => Promise<string | null>,
  now: () => number,
): Promise<BackendProbe> {
  const previous = tf.getBackend() as BackendName | undefined;
  const imagesPerSecond: Partial<Record<BackendName, number>> = {};
  const failed: Partial<Record<BackendName, string>> = {};
  for (const name of BACKENDS) {
    const reason = await start(name);
    if (reason !== null) {
      failed[name] = reason;
      continue;
    }
    try {
      imagesPerSecond[name] = await stepsPerSecond(input, classes);
    } catch (e) {
      failed[name] = e instanceof Error ? e.message : String(e);
    }
  }
  if (previous) await start(previous);
  const ranked = (Object.entries(imagesPerSecond) as [BackendName, number][]).sort((a, b) => b[1] - a[1]);
  if (!ranked[0])
    throw new Error(
      `No backend could train here (${Object.entries(failed)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')}).`,
    );
  return { imagesPerSecond, failed, fastest: ranked[0][0], input, measuredAt: now() };
}

export type { BackendProbe } from '../records/device';
