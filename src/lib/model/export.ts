import * as tf from '@tensorflow/tfjs';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import { buildModel } from './build';
import type { TrainingTensors } from './data';
import { disposeOptimizer, makeOptimizer } from './optimizer/make';
import { evaluateModel, trainModel, type TrainHooks } from './train';

/** A trained candidate as TF.js layers-model files, plus what proves they load back to the same network. */
export interface ExportedModel {
  /** The model.json contents (topology and weights manifest pointing at `weights.bin`). */
  readonly modelJson: string;
  readonly weights: ArrayBuffer;
  /** Accuracy of the retrained model on `data`'s evaluation images (validation, or test for a full retrain), [0, 1]. */
  readonly accuracy: number;
  /** A few seeded inputs and the model's softmax outputs on them, to check a reload against. */
  readonly check: { readonly shape: readonly number[]; readonly inputs: Float32Array; readonly outputs: Float32Array };
}

const CHECK_IMAGES = 4;

/**
 * Trains a genome again with its run's seed and data (the same backend reproduces the stored result) and
 * serialises it as a TF.js layers model: model.json + one weights file, loadable with tf.loadLayersModel.
 */
export async function trainAndExport(
  genome: CnnGenome,
  limits: SpaceLimits,
  data: TrainingTensors,
  seed: number,
  hooks: TrainHooks = {},
): Promise<ExportedModel> {
  const model = buildModel(genome, limits, seed);
  const optimizer = makeOptimizer(genome.training);
  try {
    await trainModel(model, optimizer, data, genome.training, seed, hooks);
    const { accuracy } = await evaluateModel(model, data.valX, data.valLabels);
    const shape = [CHECK_IMAGES, limits.height, limits.width, limits.channels];
    const [inputs, outputs] = tf.tidy(() => {
      const x = tf.randomUniform(shape, 0, 1, 'float32', 17);
      return [x.dataSync() as Float32Array, (model.predict(x) as tf.Tensor).dataSync() as Float32Array];
    });
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const artifacts = saved as tf.io.ModelArtifacts | null;
    if (!artifacts?.weightSpecs || !artifacts.weightData) throw new Error('The model could not be serialised.');
    const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const modelJson = JSON.stringify({
      format: 'layers-model',
      generatedBy: `TensorFlow.js ${tf.version.tfjs} via EvoNAS`,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    });
    return { modelJson, weights, accuracy, check: { shape, inputs, outputs } };
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
  }
}
