import { assertNever } from '../core/assert';
import type { Activation, ConvActivation } from './types';

/** Concrete operations a genome lowers to; the model builder maps each to one tfjs layer. */
export type OpSpec =
  | { readonly op: 'input' }
  | { readonly op: 'conv2d'; readonly filters: number; readonly kernel: number; readonly stride: number; readonly activation: ConvActivation }
  | { readonly op: 'separableConv2d'; readonly filters: number; readonly kernel: number; readonly stride: number; readonly activation: ConvActivation }
  | { readonly op: 'maxPool' | 'avgPool'; readonly size: number; readonly stride: number }
  | { readonly op: 'batchNorm' }
  | { readonly op: 'dropout'; readonly rate: number }
  | { readonly op: 'activation'; readonly fn: Activation }
  | { readonly op: 'add' }
  | { readonly op: 'globalAvgPool' }
  | { readonly op: 'flatten' }
  | { readonly op: 'dense'; readonly units: number };

export type OpName = OpSpec['op'];

/** [height, width, channels] for feature maps, [units] for vectors. */
export type Shape = readonly number[];

/** "same" padding: the output side is ceil(input / stride). */
export function sameOut(side: number, stride: number): number {
  return Math.ceil(side / stride);
}

const elements = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

function map3(shape: Shape): [number, number, number] {
  if (shape.length !== 3) throw new Error(`expected a feature map [h, w, c], got [${shape.join(', ')}]`);
  return [shape[0]!, shape[1]!, shape[2]!];
}

/** Output shape of an op given its (first) input shape. */
export function outputShape(spec: OpSpec, input: Shape): Shape {
  switch (spec.op) {
    case 'input':
    case 'batchNorm':
    case 'dropout':
    case 'activation':
    case 'add':
      return input;
    case 'conv2d':
    case 'separableConv2d': {
      const [h, w] = map3(input);
      return [sameOut(h, spec.stride), sameOut(w, spec.stride), spec.filters];
    }
    case 'maxPool':
    case 'avgPool': {
      const [h, w, c] = map3(input);
      return [sameOut(h, spec.stride), sameOut(w, spec.stride), c];
    }
    case 'globalAvgPool':
      return [map3(input)[2]];
    case 'flatten':
      return [elements(input)];
    case 'dense':
      return [spec.units];
    default:
      return assertNever(spec, 'op');
  }
}

/** Parameter count as tfjs' `countParams()` gives it: weights, biases and batch-norm moving statistics. */
export function opParams(spec: OpSpec, input: Shape): number {
  switch (spec.op) {
    case 'conv2d':
      return spec.kernel * spec.kernel * map3(input)[2] * spec.filters + spec.filters;
    case 'separableConv2d': {
      const c = map3(input)[2];
      return spec.kernel * spec.kernel * c + c * spec.filters + spec.filters;
    }
    case 'batchNorm':
      return 4 * input[input.length - 1]!;
    case 'dense':
      return elements(input) * spec.units + spec.units;
    case 'input':
    case 'maxPool':
    case 'avgPool':
    case 'dropout':
    case 'activation':
    case 'add':
    case 'globalAvgPool':
    case 'flatten':
      return 0;
    default:
      return assertNever(spec, 'op');
  }
}

/**
 * Floating-point operations of one inference (batch 1): 2 per multiply-accumulate, 1 per element-wise
 * operation or window element; biases, dropout and reshapes count 0.
 */
export function opFlops(spec: OpSpec, input: Shape): number {
  const out = outputShape(spec, input);
  switch (spec.op) {
    case 'conv2d': {
      const macs = elements(out) * spec.kernel * spec.kernel * map3(input)[2];
      return 2 * macs + (spec.activation === 'linear' ? 0 : elements(out));
    }
    case 'separableConv2d': {
      const [ho, wo] = map3(out);
      const c = map3(input)[2];
      const macs = ho * wo * c * spec.kernel * spec.kernel + ho * wo * c * spec.filters;
      return 2 * macs + (spec.activation === 'linear' ? 0 : elements(out));
    }
    case 'maxPool':
    case 'avgPool':
      return elements(out) * spec.size * spec.size;
    case 'batchNorm':
      return 2 * elements(out);
    case 'activation':
    case 'add':
      return elements(out);
    case 'globalAvgPool':
      return elements(input);
    case 'dense':
      return 2 * elements(input) * spec.units;
    case 'input':
    case 'dropout':
    case 'flatten':
      return 0;
    default:
      return assertNever(spec, 'op');
  }
}
