import * as tf from '@tensorflow/tfjs';

/**
 * Keeps the backend busy with inference for `ms` (the load phase of a battery calibration): the reference
 * CNN (conv3x3x16, pool, conv3x3x32, pool, dense) at batch 32 on `shape`. Returns inferences per second.
 */
export async function sustainInference(ms: number, shape: readonly [number, number, number], classes: number, stopped: () => boolean): Promise<number> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [...shape], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
  const input = tf.randomUniform([32, ...shape], 0, 1, 'float32', 1);
  const start = performance.now();
  let images = 0;
  try {
    while (performance.now() - start < ms && !stopped()) {
      const out = model.predict(input) as tf.Tensor;
      await out.data();
      out.dispose();
      images += 32;
    }
    return images / ((performance.now() - start) / 1000);
  } finally {
    input.dispose();
    model.dispose();
  }
}
