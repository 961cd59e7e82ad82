import * as tf from '@tensorflow/tfjs';
import { assertNever } from '../core/assert';
import type { Fault } from '../records';
import type { TrainHooks } from '../model/train';

/** The GPU device of the WebGPU backend, when it has started in this worker (current or not). */
export function webgpuDevice(): GPUDevice | null {
  const backend = tf.engine().registry['webgpu'] as unknown as { device?: GPUDevice } | undefined;
  return backend?.device ?? null;
}

/**
 * Arms a fault for one evaluation inside the training worker, the way the real failure would arrive, after
 * a number of training batches: NaN weights, an uncaught error, a loop that never yields, a destroyed GPU device.
 */
export function armFault(fault: Fault | undefined, hooks: TrainHooks): TrainHooks {
  if (!fault) return hooks;
  const after = (batches: number, act: (model: tf.LayersModel) => void): TrainHooks => ({
    ...hooks,
    afterBatch: (model, done) => done === batches && act(model),
  });
  switch (fault.kind) {
    case 'nan':
      return after(fault.afterBatches, poisonWeights);
    case 'crash':
      return after(fault.afterBatches, () =>
        queueMicrotask(() => {
          throw new Error('injected crash in the training worker'); // uncaught, as a real crash
        }),
      );
    case 'hang':
      return after(fault.afterBatches, () => {
        for (;;); // never yields again, like a wedged driver call
      });
    case 'device-lost':
      return after(fault.afterBatches, () => webgpuDevice()?.destroy());
    case 'oversize':
    case 'backend-fail':
      return hooks; // applied before training (genome swap, backend start)
    default:
      return assertNever(fault, 'fault');
  }
}

/** NaN into the classifier's weights: no activation after it could clamp the NaN away (XNNPACK's ReLU does). */
function poisonWeights(model: tf.LayersModel): void {
  const layer = [...model.layers].reverse().find((l) => l.trainableWeights.length > 0);
  if (layer) tf.tidy(() => layer.setWeights(layer.getWeights().map((w) => tf.fill(w.shape, NaN))));
}
