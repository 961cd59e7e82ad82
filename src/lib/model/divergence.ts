import * as tf from '@tensorflow/tfjs';

/** Batches between divergence checks where a read-back stalls the device (WebGPU, WebGL). */
const DEVICE_CHECK_EVERY = 16;

/** Thrown when the training loss stops being a finite number; training stops once that is seen. */
export class Diverged extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    loss: number,
  ) {
    super(
      `${Number.isFinite(loss) ? `weights became NaN or infinite (loss ${loss.toFixed(3)})` : `loss was ${loss}`} at epoch ${epoch}, batch ${batch}; training stopped there`,
    );
    this.name = 'Diverged';
  }
}

/**
 * 1 when the classifier's weights are all finite, else 0, as a tensor on the backend. The loss alone can hide
 * a NaN: backends that clamp with min/max (XNNPACK on WASM) turn NaN probabilities into finite ones.
 */
function classifierFinite(model: tf.LayersModel): tf.Tensor1D {
  const weights = [...model.layers].reverse().find((l) => l.trainableWeights.length > 0)?.trainableWeights[0];
  return tf.tidy(() => (weights ? tf.cast(tf.all(tf.isFinite(weights.read())), 'float32').reshape([1]) : tf.ones([1])) as tf.Tensor1D);
}

/** Collects each batch's loss and checks it for divergence: at once where reading is free, in groups elsewhere. */
export interface BatchCheck {
  /** Takes ownership of `loss`; throws `Diverged` (now or at a later check) naming the first bad batch. */
  push(batch: number, loss: tf.Scalar): Promise<void>;
  /** Checks whatever is still waiting (the epoch's end). */
  flush(): Promise<void>;
  dispose(): void;
}

/**
 * On CPU and WASM a read-back is a copy from memory the step just wrote, so every batch is checked and a
 * diverged run stops after the batch that showed it. On a GPU a read-back waits for the queue to drain, so the
 * losses of 16 batches and the weights' finiteness come back in one read: at most 15 wasted batches, no stall
 * per step.
 */
export function batchReader(model: tf.LayersModel, epoch: number): BatchCheck {
  const every = tf.getBackend() === 'cpu' || tf.getBackend() === 'wasm' ? 1 : DEVICE_CHECK_EVERY;
  let waiting: { batch: number; loss: tf.Scalar }[] = [];
  const flush = async (): Promise<void> => {
    if (waiting.length === 0) return;
    const group = waiting;
    waiting = [];
    const packed = tf.tidy(() => tf.concat([tf.stack(group.map((w) => w.loss)), classifierFinite(model)]));
    tf.dispose(group.map((w) => w.loss));
    const values = await packed.data();
    packed.dispose();
    for (let i = 0; i < group.length; i++) if (!Number.isFinite(values[i])) throw new Diverged(epoch + 1, group[i]!.batch + 1, values[i]!);
    if (values[group.length] !== 1) throw new Diverged(epoch + 1, group[group.length - 1]!.batch + 1, values[group.length - 1]!);
  };
  return {
    async push(batch, loss) {
      waiting.push({ batch, loss });
      if (waiting.length >= every) await flush();
    },
    flush,
    dispose() {
      tf.dispose(waiting.map((w) => w.loss));
      waiting = [];
    },
  };
}
