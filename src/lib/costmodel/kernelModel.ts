import { quantile } from '../core/stats';
import { nnls } from './nnls';
import { KERNEL_KINDS, type KernelInstance, type KernelKind } from './runtimeKernels';

/**
 * What one kernel costs, per kind: a dispatch, its multiply-adds, the elements it reads and writes, and the starts
 * of its innermost loop (millions): a conv of 8 filters does less per loop start than one of 64.
 */
export const KERNEL_TERMS = ['count', 'mMacs', 'mIn', 'mOut', 'mLoops'] as const;
export type KernelTerm = (typeof KERNEL_TERMS)[number];
export type KernelTerms = Readonly<Record<KernelTerm, number>>;

/**
 * Latency of a network as the sum of its kernels' costs (non-negative ms per unit of each term) plus one constant
 * per inference: the predict call, its input slice and the read-back.
 */
export interface KernelModel {
  readonly version: 1;
  readonly terms: Readonly<Record<KernelKind, KernelTerms>>;
  readonly constantMs: number;
}

/** A whole network's kernels and its measured latency (ms). */
export interface KernelNetworkSample {
  readonly kernels: readonly KernelInstance[];
  readonly measuredMs: number;
}

/** A microbenchmark: one op's kernels timed alone, with the timing harness' own cost subtracted (ms). */
export interface KernelOpSample {
  readonly kernels: readonly KernelInstance[];
  readonly ms: number;
}

/**
 * Weight of a microbenchmark relative to a network. Ops alone are hot and monomorphic and cost less than in a
 * network: at full weight they pulled CPU's held-out share from 0.70 to 0.37, at 0.01 they only fill in the
 * kinds the networks rarely exercise (docs/measurement.md).
 */
export const OP_PRIOR_WEIGHT = 0.01;

const termValues = (k: KernelInstance): number[] => [1, k.macs / 1e6, k.inElements / 1e6, k.outElements / 1e6, k.lanes > 0 ? k.macs / k.lanes / 1e6 : 0];
const COLUMNS = 1 + KERNEL_KINDS.length * KERNEL_TERMS.length;
const kindIndex = new Map<KernelKind, number>(KERNEL_KINDS.map((k, i) => [k, i]));

/**
 * The design row of a kernel list: [constant, then per kind and term the summed values]; `tied`: one set of
 * terms shared by every kind (what a handful of networks can pin down).
 */
function kernelRow(kernels: readonly KernelInstance[], constant: number, tied: boolean): number[] {
  const row = new Array<number>(COLUMNS).fill(0);
  row[0] = constant;
  for (const k of kernels) {
    const base = 1 + (tied ? 0 : kindIndex.get(k.kind)!) * KERNEL_TERMS.length;
    termValues(k).forEach((v, t) => (row[base + t] = row[base + t]! + v));
  }
  return row;
}

export function kernelMs(model: KernelModel, k: KernelInstance): number {
  const terms = model.terms[k.kind];
  // a profile stored before a kind or term existed has no coefficient for it: it counts 0
  return termValues(k).reduce((s, v, t) => s + v * (terms?.[KERNEL_TERMS[t]!] ?? 0), 0);
}

/** What some kernels (an op's, a layer's) cost, without the per-inference constant. */
export const kernelsMs = (model: KernelModel, kernels: readonly KernelInstance[]): number => kernels.reduce((s, k) => s + kernelMs(model, k), 0);

export function kernelNetworkMs(model: KernelModel, kernels: readonly KernelInstance[]): number {
  return Math.max(1e-3, model.constantMs + kernelsMs(model, kernels));
}

/**
 * Fits every kernel kind's terms and the constant jointly by weighted NNLS on whole networks (weights 1/ms^2:
 * relative error, what "within 10%" asks), with the microbenchmarks as a prior `opWeight` times as heavy (times
 * below their lower quartile weighted as at it: near the timer's resolution they are mostly noise). Terms no
 * sample exercises stay 0.
 */
export function fitKernelModel(
  networks: readonly KernelNetworkSample[],
  ops: readonly KernelOpSample[],
  opWeight = OP_PRIOR_WEIGHT,
  tied = false,
): KernelModel {
  const nets = networks.filter((n) => n.measuredMs > 0 && Number.isFinite(n.measuredMs));
  const benches = ops.filter((o) => o.ms > 0 && Number.isFinite(o.ms) && o.kernels.length > 0);
  const floor = benches.length
    ? quantile(
        benches.map((o) => o.ms),
        0.25,
      )
    : 0;
  const X = [...nets.map((n) => kernelRow(n.kernels, 1, tied)), ...benches.map((o) => kernelRow(o.kernels, 0, tied))];
  const y = [...nets.map((n) => n.measuredMs), ...benches.map((o) => o.ms)];
  const w = [...nets.map((n) => 1 / n.measuredMs ** 2), ...benches.map((o) => opWeight / Math.max(o.ms, floor) ** 2)];
  const used = Array.from({ length: COLUMNS }, (_, j) => j).filter((j) => X.some((row) => row[j] !== 0));
  const coef = new Array<number>(COLUMNS).fill(0);
  if (X.length > 0)
    nnls(
      X.map((row) => used.map((j) => row[j]!)),
      y,
      w,
    ).forEach((c, i) => (coef[used[i]!] = c));
  const terms = Object.fromEntries(
    KERNEL_KINDS.map((kind, i) => [kind, Object.fromEntries(KERNEL_TERMS.map((t, j) => [t, coef[1 + (tied ? 0 : i) * KERNEL_TERMS.length + j]!]))]),
  ) as Record<KernelKind, KernelTerms>;
  return { version: 1, terms, constantMs: coef[0]! };
}
