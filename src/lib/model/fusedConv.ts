import * as tf from '@tensorflow/tfjs';
import { Conv2DBackpropFilter, Conv2DBackpropInput, EluGrad, FusedConv2D, type NamedAttrMap } from '@tensorflow/tfjs-core';

/** The activations tfjs-layers fuses into a convolution at inference; their gradients need only the output. */
export type FusableActivation = 'relu' | 'linear' | 'elu';
export const isFusable = (a: string): a is FusableActivation => a === 'relu' || a === 'linear' || a === 'elu';

/** The slice of tfjs-layers' Conv2D a fused call reads (its class is not exported). */
interface ConvLayerView {
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor | tf.Tensor[];
  readonly kernel: { read(): tf.Tensor };
  readonly bias: { read(): tf.Tensor } | null;
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
}

/** dL/d(pre-activation) from dL/dy and y = activation(pre-activation). */
function activationGrad(dy: tf.Tensor, y: tf.Tensor, activation: FusableActivation): tf.Tensor {
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'elu':
      return tf.engine().runKernel(EluGrad, { dy, y }) as tf.Tensor;
  }
}

/**
 * conv2d + bias + activation as one kernel in training as well. tfjs fuses them only outside gradient
 * recording, so a training step ran three kernels (three passes over the feature map) per convolution; on
 * WebGPU each is a dispatch. The gradient is tfjs' own: the same backprop kernels, on the activation's gradient.
 */
function fusedConv(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, strides: [number, number], pad: 'same' | 'valid', activation: FusableActivation): tf.Tensor4D {
  const conv: NamedAttrMap = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: 'floor' };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, wIn, bIn, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const y = tf.engine().runKernel(FusedConv2D, { x: xIn, filter: wIn, bias: bIn }, { ...conv, dilations: [1, 1], activation }) as tf.Tensor4D;
    save([xIn, wIn, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, ys] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const dz = activationGrad(dy, ys, activation);
        return [
          tf.engine().runKernel(Conv2DBackpropInput, { dy: dz, filter: ws }, { ...conv, inputShape: xs.shape }) as tf.Tensor,
          tf.engine().runKernel(Conv2DBackpropFilter, { x: xs, dy: dz }, { ...conv, filterShape: ws.shape }) as tf.Tensor,
          tf.sum(dz, [0, 1, 2]),
        ];
      },
    };
  });
  return op(x, filter, bias) as tf.Tensor4D;
}

/**
 * Makes a tfjs-layers Conv2D with bias train through `fusedConv`; inference keeps tfjs-layers' own call, so
 * measured latency is what a stock TF.js runtime gets from the exported model.
 */
export function fuseWhenTraining(layer: tf.layers.Layer, activation: FusableActivation): void {
  const view = layer as unknown as ConvLayerView;
  const stock = view.call.bind(layer);
  view.call = (inputs, kwargs) => {
    const bias = view.bias;
    if (!kwargs?.training || !bias) return stock(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.tidy(() => fusedConv(x as tf.Tensor4D, view.kernel.read() as tf.Tensor4D, bias.read() as tf.Tensor1D, view.strides, view.padding, activation));
  };
}
