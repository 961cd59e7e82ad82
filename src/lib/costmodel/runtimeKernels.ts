import { assertNever } from '../core/assert';
import type { GraphNode } from '../genome/graph';
import { outputShape, type OpSpec, type Shape } from '../genome/ops';
import type { ConvActivation } from '../genome/types';

/**
 * Kinds of runtime kernel tfjs dispatches at inference, as its profiler names them (`FusedConv2D`,
 * `DepthwiseConv2dNative`, `Minimum`...). `view` is a kernel that moves no data (Reshape, Identity, Slice) but
 * still costs a dispatch.
 */
export const KERNEL_KINDS = [
  'conv',
  'depthwise',
  'pointwise',
  'matmul',
  'maxPool',
  'avgPool',
  'mean',
  'batchNorm',
  'relu',
  'minimum',
  'multiply',
  'sigmoid',
  'elu',
  'add',
  'cast',
  'softmax',
  'view',
] as const;
export type KernelKind = (typeof KERNEL_KINDS)[number];

/** One kernel dispatch and the work it does, in elements (float32) and multiply-adds. */
export interface KernelInstance {
  readonly kind: KernelKind;
  readonly macs: number;
  readonly inElements: number;
  readonly outElements: number;
  /** Square window of a convolution or pooling kernel; 0 where there is none. */
  readonly window: number;
  /**
   * Output channels of a kernel that multiplies (conv, pointwise, depthwise, matmul): the innermost loop of the
   * runtimes' kernels, so `macs / lanes` counts how often that loop starts. 0 where there is none.
   */
  readonly lanes: number;
  /**
   * The multiply-adds (or window reads) whose input lies inside the map: a loop over the window skips the
   * "same" padding (tfjs' CPU kernels), where an indirect kernel multiplies zeros (XNNPACK). Absent: `macs`.
   */
  readonly validMacs?: number;
}

/** Window taps that land inside a side of `n` under "same" padding, summed over the outputs (stride `s`). */
export function validTaps(n: number, k: number, s: number): number {
  const out = Math.ceil(n / s);
  const before = Math.floor(Math.max((out - 1) * s + k - n, 0) / 2);
  let taps = 0;
  for (let i = 0; i < out; i++) {
    const first = i * s - before;
    taps += Math.min(n, first + k) - Math.max(0, first);
  }
  return taps;
}

/** In-map taps of a square window over an [h, w, c] input, summed over the output pixels. */
const mapTaps = (input: Shape, k: number, s: number): number => validTaps(input[0]!, k, s) * validTaps(input[1]!, k, s);

const elements = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);
const kernel = (kind: KernelKind, inElements: number, outElements = inElements, macs = 0, window = 0, lanes = 0, validMacs?: number): KernelInstance => ({
  kind,
  macs,
  inElements,
  outElements,
  window,
  lanes,
  ...(validMacs !== undefined ? { validMacs } : {}),
});

/**
 * Kernels an activation runs after the layer that produced `n` elements. tfjs-layers fuses ReLU, ELU and
 * linear into a convolution; ReLU6 is `minimum(relu(x), 6)` and SiLU (swish) `x * sigmoid(1 * x)`.
 */
function activationKernels(fn: ConvActivation, n: number, fusedInto: boolean): KernelInstance[] {
  switch (fn) {
    case 'linear':
      return [];
    case 'relu':
      return fusedInto ? [] : [kernel('relu', n)];
    case 'elu':
      return fusedInto ? [] : [kernel('elu', n)];
    case 'relu6':
      return [kernel('relu', n), kernel('minimum', n)];
    case 'silu':
      return [kernel('multiply', n), kernel('sigmoid', n), kernel('multiply', n)];
    default:
      return assertNever(fn, 'activation');
  }
}

/** The kernels tfjs runs for one op of a lowered genome at inference (checked against tf.profile in the tests). */
export function opKernels(spec: OpSpec, input: Shape): KernelInstance[] {
  const inN = elements(input);
  const out = outputShape(spec, input);
  const outN = elements(out);
  const channels = input[input.length - 1]!;
  switch (spec.op) {
    case 'input':
      return [];
    case 'dropout':
      return [kernel('view', inN)];
    case 'conv2d':
      return [
        kernel(
          'conv',
          inN,
          outN,
          outN * channels * spec.kernel ** 2,
          spec.kernel,
          spec.filters,
          mapTaps(input, spec.kernel, spec.stride) * channels * spec.filters,
        ),
        ...activationKernels(spec.activation, outN, true),
      ];
    case 'separableConv2d': {
      const depthN = (outN / spec.filters) * channels;
      return [
        kernel('depthwise', inN, depthN, depthN * spec.kernel ** 2, spec.kernel, channels, mapTaps(input, spec.kernel, spec.stride) * channels),
        kernel('pointwise', depthN, outN, outN * channels, 1, spec.filters),
        kernel('view', outN),
        kernel('add', outN),
        ...activationKernels(spec.activation, outN, false),
      ];
    }
    case 'maxPool':
      return [kernel('maxPool', inN, outN, outN * spec.size ** 2, spec.size, 0, mapTaps(input, spec.size, spec.stride) * channels)];
    case 'avgPool':
      return [kernel('avgPool', inN, outN, outN * spec.size ** 2, spec.size, 0, mapTaps(input, spec.size, spec.stride) * channels), kernel('cast', outN)];
    case 'batchNorm':
      return [kernel('batchNorm', inN), kernel('view', inN)];
    case 'activation':
      return activationKernels(spec.fn, inN, false);
    case 'add':
      return [kernel('view', inN), kernel('add', 2 * inN, outN)];
    case 'globalAvgPool':
      return [kernel('mean', inN, outN)];
    case 'flatten':
      return [kernel('view', inN)];
    case 'dense':
      return [
        kernel('view', inN),
        kernel('view', inN),
        kernel('matmul', inN, outN, inN * spec.units, 0, spec.units),
        kernel('view', outN),
        kernel('add', outN),
        kernel('softmax', outN),
      ];
    default:
      return assertNever(spec, 'op');
  }
}

/** Every kernel of a lowered genome's forward pass, in order (without the per-call Slice and Identity of predict). */
export function networkKernels(nodes: readonly GraphNode[]): KernelInstance[] {
  return nodes.flatMap((n) => opKernels(n.spec, n.inputShape));
}
