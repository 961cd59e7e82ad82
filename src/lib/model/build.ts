import * as tf from '@tensorflow/tfjs';
import { assertNever } from '../core/assert';
import { deriveSeed } from '../core/rng';
import { lowerGenome } from '../genome/graph';
import type { OpSpec } from '../genome/ops';
import type { ConvActivation, CnnGenome, SpaceLimits } from '../genome/types';
import { fuseWhenTraining, isFusable } from './fusedConv';

type TfActivation = 'relu' | 'relu6' | 'elu' | 'swish' | 'linear';

/** tfjs calls SiLU "swish" (x * sigmoid(x)). */
function tfActivation(a: ConvActivation): TfActivation {
  return a === 'silu' ? 'swish' : a;
}

/** The tfjs layer for one op; `seed` is the op's own, and each initializer gets a different one from it. */
export function makeLayer(spec: OpSpec, name: string, seed: number): tf.layers.Layer {
  let draws = 0;
  const init = () => tf.initializers.glorotUniform({ seed: deriveSeed(seed, draws++) });
  switch (spec.op) {
    case 'conv2d': {
      const layer = tf.layers.conv2d({
        name,
        filters: spec.filters,
        kernelSize: spec.kernel,
        strides: spec.stride,
        padding: 'same',
        activation: tfActivation(spec.activation),
        kernelInitializer: init(),
      });
      if (isFusable(spec.activation)) fuseWhenTraining(layer, spec.activation);
      return layer;
    }
    case 'separableConv2d':
      return tf.layers.separableConv2d({
        name,
        filters: spec.filters,
        kernelSize: spec.kernel,
        strides: spec.stride,
        padding: 'same',
        activation: tfActivation(spec.activation),
        depthwiseInitializer: init(),
        pointwiseInitializer: init(),
      });
    case 'maxPool':
      return tf.layers.maxPooling2d({ name, poolSize: spec.size, strides: spec.stride, padding: 'same' });
    case 'avgPool':
      return tf.layers.averagePooling2d({ name, poolSize: spec.size, strides: spec.stride, padding: 'same' });
    case 'batchNorm':
      return tf.layers.batchNormalization({ name });
    case 'dropout':
      return tf.layers.dropout({ name, rate: spec.rate, seed: deriveSeed(seed, 99) });
    case 'activation':
      return tf.layers.activation({ name, activation: tfActivation(spec.fn) });
    case 'add':
      return tf.layers.add({ name });
    case 'globalAvgPool':
      return tf.layers.globalAveragePooling2d({ name });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'dense':
      return tf.layers.dense({ name, units: spec.units, activation: 'softmax', kernelInitializer: init() });
    case 'input':
      throw new Error('the input node has no layer');
    default:
      return assertNever(spec, 'op');
  }
}

/**
 * Builds the genome's network as a functional tf.LayersModel, node for node as `lowerGenome` describes it,
 * with weights initialised from `seed` (same seed, same initial weights).
 */
export function buildModel(genome: CnnGenome, limits: SpaceLimits, seed: number): tf.LayersModel {
  const { nodes } = lowerGenome(genome, limits);
  const outputs: tf.SymbolicTensor[] = [];
  for (const [index, node] of nodes.entries()) {
    if (node.spec.op === 'input') {
      outputs.push(tf.input({ shape: [limits.height, limits.width, limits.channels], name: 'input' }));
      continue;
    }
    const inputs = node.inputs.map((i) => outputs[i]!);
    const layer = makeLayer(node.spec, node.name, deriveSeed(seed, index));
    outputs.push(layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor);
  }
  return tf.model({ inputs: outputs[0]!, outputs: outputs[outputs.length - 1]! });
}
