import * as tf from '@tensorflow/tfjs';
import {
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  EluGrad,
  FusedConv2D,
  getKernel,
  registerGradient,
  registerKernel,
  type GradConfig,
  type KernelConfig,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BACKENDS } from './names';
import { BIAS_GRAD, sumBiasGradKernels } from './biasGrad';
import { biasGradConfig } from './wasm/biasGrad';
import { wasmConvForward } from './wasm/convForward';
import type { WasmBackendView } from './wasm/heap';

/** The activations tfjs-layers fuses into a convolution at inference; their gradients need only the output. */
export type FusableActivation = 'relu' | 'linear' | 'elu';
export const isFusable = (a: string): a is FusableActivation => a === 'relu' || a === 'linear' || a === 'elu';

/**
 * conv2d + bias + activation as one kernel in training as well. tfjs fuses them only outside gradient
 * recording, so a training step ran three kernels (three passes over the feature map, three dispatches on
 * WebGPU) per convolution. This kernel runs each backend's own FusedConv2D; its gradient is registered lazily,
 * so the input's gradient is never computed for a network's first layer.
 */
export const TRAINABLE_FUSED_CONV = 'EvonasTrainableFusedConv2D';

interface ConvAttrs extends NamedAttrMap {
  readonly strides: [number, number];
  readonly pad: 'same' | 'valid';
  readonly activation: FusableActivation;
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

const gradConfig: GradConfig = {
  kernelName: TRAINABLE_FUSED_CONV,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const a = attrs as ConvAttrs;
    const conv = { strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: 'floor' };
    // the filter and bias always need it; it lives until the backward pass's scope ends
    const dz = activationGrad(dy as tf.Tensor, y, a.activation);
    return {
      x: () => tf.engine().runKernel(Conv2DBackpropInput, { dy: dz, filter }, { ...conv, inputShape: x.shape }) as tf.Tensor,
      filter: () => tf.engine().runKernel(Conv2DBackpropFilter, { x, dy: dz }, { ...conv, filterShape: filter.shape }) as tf.Tensor,
      bias: () => tf.engine().runKernel(BIAS_GRAD, { dy: dz }, {}) as tf.Tensor,
    };
  },
};

type RunArgs = { inputs: Record<string, unknown>; backend: unknown; attrs: NamedAttrMap };

/** The forward kernel on every backend: that backend's own FusedConv2D with dilation 1. */
const forwardKernels: KernelConfig[] = BACKENDS.map((backendName) => ({
  kernelName: TRAINABLE_FUSED_CONV,
  backendName,
  kernelFunc: ((args: RunArgs) => {
    if (backendName === 'wasm') {
      const ours = wasmConvForward(args.inputs as { x: TensorInfo; filter: TensorInfo; bias: TensorInfo }, args.backend as WasmBackendView, args.attrs);
      if (ours) return ours;
    }
    const fused = getKernel(FusedConv2D, backendName);
    if (!fused) throw new Error(`The ${backendName} backend has no FusedConv2D kernel.`);
    const a = args.attrs as ConvAttrs;
    return (fused.kernelFunc as unknown as (x: RunArgs) => unknown)({
      ...args,
      attrs: { strides: a.strides, pad: a.pad, activation: a.activation, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: 'floor' },
    });
  }) as unknown as KernelConfig['kernelFunc'],
}));

let registered = false;
/** Registers the trainable fused convolution's kernels (forward, bias gradient) and its gradient, once. */
export function registerFusedConv(): void {
  if (registered) return;
  registered = true;
  for (const k of [...forwardKernels, biasGradConfig, ...sumBiasGradKernels(['cpu', 'webgl', 'webgpu'])])
    if (!getKernel(k.kernelName, k.backendName)) registerKernel(k);
  registerGradient(gradConfig);
}

/** The slice of tfjs-layers' Conv2D a fused call reads (its class is not exported). */
interface ConvLayerView {
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor | tf.Tensor[];
  readonly kernel: { read(): tf.Tensor };
  readonly bias: { read(): tf.Tensor } | null;
  readonly strides: [number, number];
  readonly padding: 'same' | 'valid';
}

/**
 * Makes a tfjs-layers Conv2D with bias train through the fused kernel; inference keeps tfjs-layers' own call,
 * so measured latency is what a stock TF.js runtime gets from the exported model.
 */
export function fuseWhenTraining(layer: tf.layers.Layer, activation: FusableActivation): void {
  registerFusedConv();
  const view = layer as unknown as ConvLayerView;
  const stock = view.call.bind(layer);
  view.call = (inputs, kwargs) => {
    const bias = view.bias;
    if (!kwargs?.training || !bias) return stock(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf
      .engine()
      .runKernel(
        TRAINABLE_FUSED_CONV,
        { x, filter: view.kernel.read(), bias: bias.read() },
        { strides: view.strides, pad: view.padding, activation },
      ) as tf.Tensor;
  };
}
