import { quantile } from '../core/stats';
import { normalEquations, type NormalEquations } from '../core/linalg';
import { combined, nnlsNormal } from './nnls';
import { KERNEL_TERMS, kernelNetworkMs, termValues, type KernelModel, type KernelTerm, type KernelTerms } from './kernelModel';
import { KERNEL_KINDS, type KernelInstance, type KernelKind } from './runtimeKernels';

/** A whole network's kernels and its measured latency (ms). */
export interface KernelNetworkSample {
  readonly kernels: readonly KernelInstance[];
  readonly measuredMs: number;
  /** Each kernel's own time inside this network (ms, aligned with `kernels`), where the backend could profile it. */
  readonly kernelMs?: readonly number[];
  /** How far its time is trusted next to a steadily timed network's (1 if absent): see `timingTrust`. */
  readonly weight?: number;
}

/**
 * Trust in a time whose own samples spread by `spread` (interquartile range / median): a network timed while
 * something else ran on the cores scatters (0.3-0.5) and is slowed, one timed in quiet agrees to a few percent.
 */
export const timingTrust = (spread: number | undefined): number =>
  spread === undefined || !Number.isFinite(spread) ? 1 : 1 / (1 + (spread / SPREAD_SCALE) ** 2);
/** Spread at which a time counts half (replayed searches: 102 of 160 candidates within ±10% untrusting, 114 with). */
const SPREAD_SCALE = 0.15;

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

/**
 * Weights of a network's kernel timings (all of them together, relative to its whole time) that cross-validation
 * chooses from: on WASM they pin down the per-window and per-channel terms (10-fold CV over 900 networks: 0.618
 * within ±10% without them, 0.631 with); on CPU one kernel's time swings 20-40% with what ran before it, and 0 wins.
 */
export const TIMING_WEIGHTS = [0, 0.03, 0.3, 3] as const;

/** Kernel times below this weigh as at it: the timer's resolution when cross-origin isolated (5 µs). */
const TIMING_FLOOR_MS = 0.005;

export interface KernelFitOptions {
  readonly opWeight?: number;
  /** One set of terms shared by every kind (what a handful of networks can pin down). */
  readonly tied?: boolean;
  readonly timingWeight?: number;
  /** The terms fitted (the rest stay 0): fewer where few networks must pin them down. Default: all. */
  readonly terms?: readonly KernelTerm[];
  /**
   * Fit the dispatch cost per kind, each pulled towards `priorMs` with `weight` (a kind's dispatch twice the
   * prior costs as much as one network predicted twice its time, at weight 1). Absent, or a prior of 0 (the pull
   * is relative to it): one dispatch cost for all.
   */
  readonly kindDispatch?: { readonly priorMs: number; readonly weight: number };
}

// columns: [constant per inference, dispatch per kernel in a network, per kind and term, then dispatch per kind]
const KIND_DISPATCH = 2 + KERNEL_KINDS.length * KERNEL_TERMS.length;
const COLUMNS = KIND_DISPATCH + KERNEL_KINDS.length;
const kindIndex = new Map<KernelKind, number>(KERNEL_KINDS.map((k, i) => [k, i]));

function addKernel(row: number[], k: KernelInstance, tied: boolean): void {
  const base = 2 + (tied ? 0 : kindIndex.get(k.kind)!) * KERNEL_TERMS.length;
  termValues(k).forEach((v, t) => (row[base + t] = row[base + t]! + v));
}

/** A network's row (constant, dispatches, its kernels' terms) or, for a timing alone, just the kernel's terms. */
function designRow(kernels: readonly KernelInstance[], constant: number, dispatched: boolean, tied: boolean, perKind = false): number[] {
  const row = new Array<number>(COLUMNS).fill(0);
  row[0] = constant;
  if (dispatched && perKind) for (const k of kernels) row[KIND_DISPATCH + kindIndex.get(k.kind)!]! += 1;
  else row[1] = dispatched ? kernels.length : 0;
  for (const k of kernels) addKernel(row, k, tied);
  return row;
}

const usable = (n: KernelNetworkSample): boolean => n.measuredMs > 0 && Number.isFinite(n.measuredMs);

/** Networks weighted 1/ms^2 (relative error, what "within 10%" asks) times their trust. */
function networkEquations(nets: readonly KernelNetworkSample[], tied: boolean, perKind = false): NormalEquations {
  return normalEquations(
    nets.map((n) => designRow(n.kernels, 1, true, tied, perKind)),
    nets.map((n) => n.measuredMs),
    nets.map((n) => (n.weight ?? 1) / n.measuredMs ** 2),
    COLUMNS,
  );
}

/** Each network's kernel timings together weigh as one network's time (each relative to its own size). */
function timingEquations(nets: readonly KernelNetworkSample[], tied: boolean): NormalEquations {
  const rows: number[][] = [];
  const y: number[] = [];
  const w: number[] = [];
  for (const n of nets) {
    if (!n.kernelMs || n.kernelMs.length !== n.kernels.length) continue;
    n.kernels.forEach((k, i) => {
      const ms = n.kernelMs![i]!;
      if (!(ms >= 0)) return;
      rows.push(designRow([k], 0, false, tied));
      y.push(ms);
      w.push(1 / Math.max(ms, TIMING_FLOOR_MS) ** 2 / n.kernels.length);
    });
  }
  return normalEquations(rows, y, w, COLUMNS);
}

/** Microbenchmarks (a whole op call each: dispatches included), times below their lower quartile weighted as at it. */
function opEquations(ops: readonly KernelOpSample[], opWeight: number, tied: boolean, perKind = false): NormalEquations {
  const benches = ops.filter((o) => o.ms > 0 && Number.isFinite(o.ms) && o.kernels.length > 0);
  const floor = benches.length
    ? quantile(
        benches.map((o) => o.ms),
        0.25,
      )
    : 0;
  return normalEquations(
    benches.map((o) => designRow(o.kernels, 0, true, tied, perKind)),
    benches.map((o) => o.ms),
    benches.map((o) => opWeight / Math.max(o.ms, floor) ** 2),
    COLUMNS,
  );
}

/** Each kind's dispatch pulled towards `priorMs`: one row per kind, relative to the prior. */
function kindDispatchEquations(prior: NonNullable<KernelFitOptions['kindDispatch']>): NormalEquations {
  return normalEquations(
    KERNEL_KINDS.map((_, i) => {
      const row = new Array<number>(COLUMNS).fill(0);
      row[KIND_DISPATCH + i] = 1;
      return row;
    }),
    KERNEL_KINDS.map(() => prior.priorMs),
    KERNEL_KINDS.map(() => prior.weight / prior.priorMs ** 2),
    COLUMNS,
  );
}

function modelOf(coef: readonly number[], tied: boolean, timingWeight: number, kindDispatch?: KernelFitOptions['kindDispatch']): KernelModel {
  const terms = Object.fromEntries(
    KERNEL_KINDS.map((kind, i) => [kind, Object.fromEntries(KERNEL_TERMS.map((t, j) => [t, coef[2 + (tied ? 0 : i) * KERNEL_TERMS.length + j]!]))]),
  ) as Record<KernelKind, KernelTerms>;
  if (!kindDispatch) return { version: 1, terms, constantMs: coef[0]!, dispatchMs: coef[1]!, timingWeight };
  const kindDispatchMs = Object.fromEntries(KERNEL_KINDS.map((kind, i) => [kind, coef[KIND_DISPATCH + i]!]));
  return { version: 1, terms, constantMs: coef[0]!, dispatchMs: kindDispatch.priorMs, kindDispatchMs, timingWeight };
}

/** The equations with every column of a term outside `terms` emptied, so NNLS leaves it at 0. */
function onlyTerms(eq: NormalEquations, terms: readonly KernelTerm[]): NormalEquations {
  const keep = (j: number): boolean => j < 2 || j >= KIND_DISPATCH || terms.includes(KERNEL_TERMS[(j - 2) % KERNEL_TERMS.length]!);
  return { gram: eq.gram.map((row, a) => row.map((v, b) => (keep(a) && keep(b) ? v : 0))), moment: eq.moment.map((v, a) => (keep(a) ? v : 0)) };
}

/**
 * Fits every kernel kind's terms, the dispatch cost and the constant jointly by weighted NNLS on whole networks,
 * with their kernels' own timings `timingWeight` times as heavy and the microbenchmarks as a prior `opWeight`
 * times as heavy. Terms no sample exercises stay 0.
 */
export function fitKernelModel(networks: readonly KernelNetworkSample[], ops: readonly KernelOpSample[], o: KernelFitOptions = {}): KernelModel {
  const tied = o.tied ?? false;
  const timingWeight = o.timingWeight ?? 0;
  const nets = networks.filter(usable);
  const perKind = o.kindDispatch !== undefined && o.kindDispatch.priorMs > 0;
  let eq = combined(networkEquations(nets, tied, perKind), opEquations(ops, o.opWeight ?? OP_PRIOR_WEIGHT, tied, perKind));
  if (timingWeight > 0) eq = combined(eq, timingEquations(nets, tied), timingWeight);
  if (perKind) eq = combined(eq, kindDispatchEquations(o.kindDispatch!));
  return modelOf(nnlsNormal(o.terms ? onlyTerms(eq, o.terms) : eq), tied, timingWeight, perKind ? o.kindDispatch : undefined);
}

const FOLDS = 5;
/** Fitted networks below which the timing weight is not cross-validated (two per fold): the timings then stay out. */
export const MIN_CROSS_VALIDATED = 2 * FOLDS;

/**
 * `fitKernelModel` with the timing weight from TIMING_WEIGHTS that puts most networks within ±10% in a 5-fold
 * cross-validation over `networks` (a fold's kernel timings leave with it); without timings, weight 0.
 */
export function fitKernelModelCrossValidated(
  networks: readonly KernelNetworkSample[],
  ops: readonly KernelOpSample[],
  opWeight = OP_PRIOR_WEIGHT,
): KernelModel {
  const nets = networks.filter(usable);
  if (!nets.some((n) => n.kernelMs?.length) || nets.length < MIN_CROSS_VALIDATED) return fitKernelModel(nets, ops, { opWeight });
  const folds = Array.from({ length: FOLDS }, (_, f) => nets.filter((_, i) => i % FOLDS === f));
  const netEq = folds.map((fold) => networkEquations(fold, false));
  const timeEq = folds.map((fold) => timingEquations(fold, false));
  const sum = (eqs: readonly NormalEquations[]): NormalEquations => eqs.reduce((a, b) => combined(a, b));
  const allNet = sum(netEq);
  const allTime = sum(timeEq);
  const opEq = opEquations(ops, opWeight, false);
  let best: { weight: number; hits: number; err: number } | null = null;
  for (const weight of TIMING_WEIGHTS) {
    let hits = 0;
    const errors: number[] = [];
    folds.forEach((fold, f) => {
      const train = combined(combined(combined(allNet, netEq[f]!, -1), opEq), combined(allTime, timeEq[f]!, -1), weight);
      const model = modelOf(nnlsNormal(train), false, weight);
      for (const n of fold) {
        const err = Math.abs(kernelNetworkMs(model, n.kernels) / n.measuredMs - 1);
        errors.push(err);
        if (err <= 0.1) hits++;
      }
    });
    const err = quantile(errors, 0.5);
    if (!best || hits > best.hits || (hits === best.hits && err < best.err)) best = { weight, hits, err };
  }
  return fitKernelModel(nets, ops, { opWeight, timingWeight: best!.weight });
}
