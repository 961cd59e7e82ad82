import { median, quantile } from '../core/stats';
import type { GraphNode } from '../genome/graph';
import { COST_KINDS, FEATURES, featureVector, networkOps, type CostKind, type Feature, type OpInstance } from './features';
import type { GridPoint } from './grid';
import { kernelNetworkMs, type KernelModel } from './kernelModel';
import { nnls } from './nnls';
import { networkKernels, type KernelInstance } from './runtimeKernels';

/** Latency of one op kind: a non-negative weight (ms per unit) for each feature of `FEATURES`. */
export interface KindCoefficients {
  readonly terms: Readonly<Record<Feature, number>>;
  /** Microbenchmarks this fit rests on. */
  readonly samples: number;
  /** Median relative error of the fit on its own samples. */
  readonly medianAbsPctErr: number;
}

/** Groups of op kinds that share one in-network scale factor (microbenchmarks run ops alone, hot and monomorphic). */
export const NETWORK_GROUPS = ['conv', 'sepconv', 'pool', 'elementwise', 'head'] as const;
export type NetworkGroup = (typeof NETWORK_GROUPS)[number];
export const GROUP_OF: Record<CostKind, NetworkGroup> = {
  conv2d: 'conv',
  separableConv2d: 'sepconv',
  maxPool: 'pool',
  avgPool: 'pool',
  batchNorm: 'elementwise',
  activation: 'elementwise',
  add: 'elementwise',
  globalAvgPool: 'head',
  dense: 'head',
};

/** Network latency = overheadMs + perOpMs x (number of ops) + sum over groups of scale x (the group's op predictions). */
export interface NetworkTerms {
  readonly overheadMs: number;
  readonly perOpMs: number;
  readonly scale: Readonly<Record<NetworkGroup, number>>;
}

export interface CostModel {
  readonly kinds: Readonly<Record<CostKind, KindCoefficients>>;
  readonly network: NetworkTerms;
  /**
   * The per-kernel model (kernelModel.ts), which predicts networks when present; profiles stored before it have
   * only the per-op terms and keep predicting with them.
   */
  readonly kernels?: KernelModel;
}

export interface OpSample {
  readonly op: OpInstance;
  readonly ms: number;
  /** The microbenchmark it came from, kept for export and diagnosis. */
  readonly point?: GridPoint;
}

/** A profile stored before a feature existed has no term for it: that term counts 0. */
export const opTimeMs = (c: KindCoefficients, op: OpInstance): number => featureVector(op).reduce((s, v, i) => s + v * (c.terms[FEATURES[i]!] ?? 0), 0);

const relErr = (predicted: number, measured: number): number => Math.abs(predicted - measured) / measured;

/**
 * The features a kind can afford: all of them with three samples per feature, else intercept and FLOPs
 * (with few points a many-feature fit passes through them and extrapolates wildly).
 */
function featuresFor(samples: number): readonly Feature[] {
  return samples >= 3 * FEATURES.length ? FEATURES : ['intercept', 'mflops'];
}

/**
 * Fits one kind by weighted non-negative least squares on its features, weights 1/ms^2 so the fit
 * minimises relative error (what "within 10%" asks). Times below the kind's lower quartile are weighted as if
 * at it: ops near the timer's resolution are mostly noise and matter least inside a network.
 */
export function fitKind(samples: readonly OpSample[]): KindCoefficients {
  const usable = samples.filter((s) => s.ms > 0 && Number.isFinite(s.ms));
  const zero = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<Feature, number>;
  if (usable.length === 0) return { terms: zero, samples: 0, medianAbsPctErr: NaN };
  const floor = quantile(
    usable.map((s) => s.ms),
    0.25,
  );
  const used = featuresFor(usable.length);
  const columns = used.map((f) => FEATURES.indexOf(f));
  const coef = nnls(
    usable.map((s) => {
      const v = featureVector(s.op);
      return columns.map((j) => v[j]!);
    }),
    usable.map((s) => s.ms),
    usable.map((s) => 1 / Math.max(s.ms, floor) ** 2),
  );
  const terms = Object.fromEntries(FEATURES.map((f) => [f, 0])) as Record<Feature, number>;
  used.forEach((f, i) => (terms[f] = coef[i]!));
  const fit = { terms, samples: usable.length, medianAbsPctErr: 0 };
  return { ...fit, medianAbsPctErr: 100 * median(usable.map((s) => relErr(opTimeMs(fit, s.op), s.ms))) };
}

export function fitKinds(samples: readonly OpSample[]): Record<CostKind, KindCoefficients> {
  return Object.fromEntries(COST_KINDS.map((k) => [k, fitKind(samples.filter((s) => s.op.kind === k))])) as Record<CostKind, KindCoefficients>;
}

/** Per-op predictions of a lowered genome (ms), before the network terms. */
export function predictOps(kinds: CostModel['kinds'], nodes: readonly GraphNode[]): { name: string; kind: CostKind; ms: number }[] {
  return networkOps(nodes).map(({ name, op }) => ({ name, kind: op.kind, ms: opTimeMs(kinds[op.kind], op) }));
}

/** Each group's summed op predictions (ms) and the number of costed ops: the features of the network fit. */
export function networkFeatures(kinds: CostModel['kinds'], nodes: readonly GraphNode[]): { sums: Record<NetworkGroup, number>; opCount: number } {
  const sums = Object.fromEntries(NETWORK_GROUPS.map((g) => [g, 0])) as Record<NetworkGroup, number>;
  const ops = predictOps(kinds, nodes);
  for (const op of ops) sums[GROUP_OF[op.kind]] += op.ms;
  return { sums, opCount: ops.length };
}

export function networkMs(terms: NetworkTerms, f: { sums: Record<NetworkGroup, number>; opCount: number }): number {
  return terms.overheadMs + terms.perOpMs * f.opCount + NETWORK_GROUPS.reduce((s, g) => s + terms.scale[g] * f.sums[g], 0);
}

export function predictNetworkMs(model: CostModel, nodes: readonly GraphNode[]): number {
  if (model.kernels) return kernelNetworkMs(model.kernels, networkKernels(nodes));
  return Math.max(1e-3, networkMs(model.network, networkFeatures(model.kinds, nodes)));
}

export interface NetworkSample {
  readonly sums: Record<NetworkGroup, number>;
  readonly opCount: number;
  readonly measuredMs: number;
  /** The network's runtime kernels, what the kernel model refits on (absent in profiles stored before it). */
  readonly kernels?: readonly KernelInstance[];
  /** Each of `kernels`' own time inside the network (ms, aligned), where the backend could profile it. */
  readonly kernelMs?: readonly number[];
}

const uniformScale = (s: number): Record<NetworkGroup, number> => Object.fromEntries(NETWORK_GROUPS.map((g) => [g, s])) as Record<NetworkGroup, number>;

/**
 * Fits the network terms on whole random networks by weighted NNLS (weights 1/ms^2): a constant, a cost per
 * op, and one scale per group, since ops inside a network do not cost what they cost alone. With fewer
 * networks than twice the unknowns it fits a constant and one common scale instead.
 */
export function fitNetwork(samples: readonly NetworkSample[]): NetworkTerms {
  const y = samples.map((s) => s.measuredMs);
  const w = y.map((v) => 1 / v ** 2);
  const total = (s: NetworkSample) => NETWORK_GROUPS.reduce((t, g) => t + s.sums[g], 0);
  if (samples.length >= 2 * (NETWORK_GROUPS.length + 2)) {
    const coef = nnls(
      samples.map((s) => [1, s.opCount, ...NETWORK_GROUPS.map((g) => s.sums[g])]),
      y,
      w,
    );
    const scale = Object.fromEntries(NETWORK_GROUPS.map((g, i) => [g, coef[2 + i]!])) as Record<NetworkGroup, number>;
    // a group the fit zeroed (it never mattered in these networks) keeps the common scale instead of vanishing
    const common = nnls(
      samples.map((s) => [1, total(s)]),
      y,
      w,
    )[1]!;
    for (const g of NETWORK_GROUPS) if (scale[g] === 0) scale[g] = common;
    return { overheadMs: coef[0]!, perOpMs: coef[1]!, scale };
  }
  if (samples.length >= 2) {
    const [overheadMs, s] = nnls(
      samples.map((v) => [1, total(v)]),
      y,
      w,
    ) as [number, number];
    if (s > 0) return { overheadMs, perOpMs: 0, scale: uniformScale(s) };
  }
  return { overheadMs: median(samples.map((s) => s.measuredMs - total(s))) || 0, perOpMs: 0, scale: uniformScale(1) };
}

/** How well predictions match measurements: share within +-10% and median absolute % error. */
export function accuracyOf(pairs: readonly { predictedMs: number; measuredMs: number }[]): { within10Share: number; medianAbsPctErr: number } {
  const errors = pairs.map((p) => relErr(p.predictedMs, p.measuredMs));
  return { within10Share: errors.filter((e) => e <= 0.1 + 1e-9).length / Math.max(1, errors.length), medianAbsPctErr: 100 * median(errors) };
}
