import type { GraphNode } from '../genome/graph';
import type { OpSpec, Shape } from '../genome/ops';
import { opFlops, opParams, outputShape } from '../genome/ops';
import { opKernels } from './runtimeKernels';

/** Op kinds with their own fitted cost; reshapes (flatten), dropout and the input cost nothing at inference. */
export const COST_KINDS = ['conv2d', 'separableConv2d', 'maxPool', 'avgPool', 'batchNorm', 'activation', 'add', 'globalAvgPool', 'dense'] as const;
export type CostKind = (typeof COST_KINDS)[number];

/** One op as the cost model sees it; sizes in float32 bytes. */
export interface OpInstance {
  readonly kind: CostKind;
  readonly flops: number;
  readonly inBytes: number;
  readonly outBytes: number;
  readonly weightBytes: number;
  /** Elements passed through exp (ELU, SiLU): several times dearer than a max or a multiply. */
  readonly transcendentals: number;
  /**
   * Element passes of activation kernels tfjs runs after a convolution's fused kernel: ReLU6 is a Minimum after
   * the fused ReLU, SiLU a Sigmoid and a Multiply, ELU an Elu (seen in per-kernel profiles inside networks).
   */
  readonly unfusedPasses: number;
  /** Multiply-adds of a separable convolution's depthwise part: several times slower per MAC than a dense one. */
  readonly depthwiseMacs: number;
}

/** The features a kind's latency is fitted on, in the units the coefficients use. */
export const FEATURES = ['intercept', 'mflops', 'inMb', 'outMb', 'weightMb', 'mTranscendental', 'mUnfusedPass', 'mDepthwiseMacs'] as const;
export type Feature = (typeof FEATURES)[number];

export function featureVector(op: OpInstance): number[] {
  return [
    1,
    op.flops / 1e6,
    op.inBytes / 1e6,
    op.outBytes / 1e6,
    op.weightBytes / 1e6,
    op.transcendentals / 1e6,
    op.unfusedPasses / 1e6,
    op.depthwiseMacs / 1e6,
  ];
}

function transcendentalElements(spec: OpSpec, outElements: number): number {
  const fn = spec.op === 'activation' ? spec.fn : spec.op === 'conv2d' || spec.op === 'separableConv2d' ? spec.activation : null;
  return fn === 'elu' || fn === 'silu' ? outElements : 0;
}

const UNFUSED_PASSES: Record<string, number> = { relu6: 1, silu: 2, elu: 1 };

function unfusedPasses(spec: OpSpec, outElements: number): number {
  return spec.op === 'conv2d' || spec.op === 'separableConv2d' ? (UNFUSED_PASSES[spec.activation] ?? 0) * outElements : 0;
}

export function costKindOf(spec: OpSpec): CostKind | null {
  switch (spec.op) {
    case 'input':
    case 'flatten':
    case 'dropout':
      return null;
    default:
      return spec.op;
  }
}

const elements = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

export function opInstanceOf(spec: OpSpec, input: Shape): OpInstance | null {
  const kind = costKindOf(spec);
  if (!kind) return null;
  const out = elements(outputShape(spec, input));
  return {
    kind,
    flops: opFlops(spec, input),
    inBytes: 4 * (kind === 'add' ? 2 : 1) * elements(input),
    outBytes: 4 * out,
    weightBytes: 4 * opParams(spec, input),
    transcendentals: transcendentalElements(spec, out),
    unfusedPasses: unfusedPasses(spec, out),
    depthwiseMacs: opKernels(spec, input).reduce((s, k) => s + (k.kind === 'depthwise' ? k.macs : 0), 0),
  };
}

/** The costed ops of a lowered genome, with their node names. */
export function networkOps(nodes: readonly GraphNode[]): { name: string; op: OpInstance }[] {
  return nodes.flatMap((n) => {
    const op = opInstanceOf(n.spec, n.inputShape);
    return op ? [{ name: n.name, op }] : [];
  });
}
