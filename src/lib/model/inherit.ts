import * as tf from '@tensorflow/tfjs';
import type { LayerWeights } from '../genome/inherit';

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** Copies inherited weights into the layers of the same name whose every tensor has the same shape; returns how many. */
export function applyWeights(model: tf.LayersModel, layers: readonly LayerWeights[]): number {
  let copied = 0;
  for (const inherited of layers) {
    const layer = model.layers.find((l) => l.name === inherited.name);
    if (!layer) continue;
    const current = layer.getWeights();
    if (current.length !== inherited.tensors.length || !current.every((w, i) => sameShape(w.shape, inherited.tensors[i]!.shape))) continue;
    const values = inherited.tensors.map((t) => tf.tensor(t.values, [...t.shape], 'float32'));
    layer.setWeights(values);
    tf.dispose(values);
    copied++;
  }
  return copied;
}

/** Every layer's trained weights as plain arrays (read back from the backend). */
export function extractWeights(model: tf.LayersModel): LayerWeights[] {
  return model.layers
    .filter((l) => l.getWeights().length > 0)
    .map((l) => ({ name: l.name, tensors: l.getWeights().map((w) => ({ shape: [...w.shape], values: (w.dataSync() as Float32Array).slice() })) }));
}
