import type { GraphNode } from '../genome/graph';
import { FEATURES, type CostKind, type Feature } from './features';
import { fitKernelModel, timingTrust, type KernelNetworkSample, type KernelOpSample } from './kernelFit';
import { KERNEL_TERMS, kernelNetworkMs, kernelsMs, scaledKernelModel, type KernelModel, type KernelTerm } from './kernelModel';
import { nnls } from './nnls';
import { fitNetwork, networkFeatures, type CostModel, type KindCoefficients, type NetworkSample, type OpSample } from './model';
import { networkKernels, opKernels, type KernelInstance } from './runtimeKernels';

const terms = (set: Partial<Record<Feature, number>>): KindCoefficients => ({
  terms: Object.fromEntries(FEATURES.map((f) => [f, set[f] ?? 0])) as Record<Feature, number>,
  samples: 0,
  medianAbsPctErr: NaN,
});

/**
 * Per-op terms before any calibration: each kind costs its dominant quantity (FLOPs for convolutions and the
 * classifier, bytes moved for pooling and element-wise ops). Only ratios within a group matter: the network fit
 * gives every group its own ms per unit on this device, from the candidates the search has measured.
 */
export const PRIOR_KINDS: Readonly<Record<CostKind, KindCoefficients>> = {
  conv2d: terms({ mflops: 1, mTranscendental: 4 }),
  separableConv2d: terms({ mflops: 1, mTranscendental: 4 }),
  maxPool: terms({ inMb: 1 }),
  avgPool: terms({ inMb: 1 }),
  batchNorm: terms({ outMb: 1 }),
  activation: terms({ outMb: 1, mTranscendental: 4 }),
  add: terms({ inMb: 1 }),
  globalAvgPool: terms({ inMb: 1 }),
  dense: terms({ mflops: 1, weightMb: 1 }),
};

/** One measured network: its lowered nodes and its median batch-1 latency on the run's backend, ms. */
export interface MeasuredNetwork {
  readonly nodes: readonly GraphNode[];
  readonly measuredMs: number;
  /** Interquartile range over median of its timed samples, where known. */
  readonly spread?: number;
  /** Its kernels' own times (ms, aligned with `networkKernels(nodes)`), where the backend profiled them. */
  readonly kernelMs?: readonly number[];
}

/** Networks measured before the model is worth more than the calibration it starts from (or than nothing). */
export const MIN_SAMPLES = 3;

/** Weight of the shared-terms prior against a measured network when there is no calibration. */
const TIED_PRIOR_WEIGHT = 0.05;

/** A calibration's microbenchmarks as kernel samples: each op's kernels, timed alone. */
export const kernelOpSamples = (ops: readonly OpSample[]): KernelOpSample[] =>
  ops.flatMap((o) => (o.point ? [{ kernels: opKernels(o.point.spec, o.point.input), ms: o.ms }] : []));

/** A calibration's fitted networks as kernel samples (those stored with their kernels, and their kernels' times). */
export const kernelNetworkSamples = (samples: readonly NetworkSample[]): KernelNetworkSample[] =>
  samples.flatMap((s) => (s.kernels ? [{ kernels: s.kernels, measuredMs: s.measuredMs, ...(s.kernelMs ? { kernelMs: s.kernelMs } : {}) }] : []));

/**
 * Terms a few networks pin down without a calibration: the window, padding, pixel and tap terms need kernel
 * timings or a hundred networks (replayed searches: 31 of 100 candidates within ±10% with them, 38 without).
 */
const FEW_NETWORK_TERMS: readonly KernelTerm[] = ['count', 'mMacs', 'mIn', 'mOut', 'mLoops'];

/**
 * With kernels timed inside the run's networks: how heavy one network's kernel timings are next to its whole time,
 * and the shared-terms prior's weight. The timings tell the kinds apart from the first candidates, so every term
 * is fitted and the prior only prices kinds no timing has shown yet (replayed searches, 18 digits and six
 * Fashion-MNIST runs on WASM: 406 of 480 of the last 20 within ±10% without timings, 442 with).
 */
const TIMED_WEIGHT = 0.1;
/**
 * Light enough that a kind's own timings outweigh it: at 0.002 the prior's rows for a run's first 7x7 depthwise
 * kernels (priced by the shared terms at a third of their cost) held it at 0.067 ms where it was timed at 0.11-0.12.
 */
const TIMED_PRIOR_WEIGHT = 0.0005;
/**
 * Every term but the 1x1 multiply-adds: a search's first 1x1 convolutions are tiny, and one such kernel's 2-6 µs
 * priced every 1x1 multiply-add 150x too high in a larger one later (replayed: 435 of 480 with them, 442 without).
 * The 5x5 and 7x7 terms stay: XNNPACK's depthwise costs ~4x per multiply-add at those windows what it does at 3x3
 * (with the lighter prior, 21 searches of 2026-12-07 replayed: 327 of 420 within ±10%, 313 without both).
 */
const TIMED_TERMS: readonly KernelTerm[] = KERNEL_TERMS.filter((t) => t !== 'mMacs1x1');
/**
 * With timings, each kind's dispatch (whole network minus its kernels' timings) is fitted, pulled lightly towards
 * the shared one: on WASM a convolution costs ~4-5 µs around its kernel, an add ~1 µs, and one figure for all
 * under-priced deep networks of many convolutions (replayed: 447 of 480 with one, 451 per kind; 9 held-out
 * searches 158 and 161 of 180; 21 noisier searches of a later day 314 and 313 of 420).
 */
const KIND_DISPATCH_PRIOR_WEIGHT = 0.001;

/**
 * Sizes (times the op's own) the shared-terms prior prices each op at. At its own size alone, a kind seen at one
 * size could put its whole cost in the per-dispatch term: a ReLU6's Minimum seen on 12,544 elements cost 0.04 ms,
 * then 0.04 ms on 1,568 where it took 0.009 ms.
 */
const PRIOR_SIZES = [1 / 4, 1, 4] as const;

/** The same kernels over `factor` times the elements (window and channels kept). */
const resized = (kernels: readonly KernelInstance[], factor: number): KernelInstance[] =>
  factor === 1
    ? [...kernels]
    : kernels.map((k) => ({
        ...k,
        macs: k.macs * factor,
        inElements: k.inElements * factor,
        outElements: k.outElements * factor,
        ...(k.validMacs !== undefined ? { validMacs: k.validMacs * factor } : {}),
      }));

/**
 * A kernel model from measured networks alone: one set of terms shared by every kernel kind first (what a few
 * networks can pin down), then per-kind terms with that fit's prediction of each op (each kernel, where only
 * kernels are known) as their prior, so a kind moves away from the shared terms only as far as the networks
 * (and their kernels' timings, where the backend profiled them) show it should.
 */
function kernelModelFromNetworks(networks: readonly (KernelNetworkSample & { readonly nodes?: readonly GraphNode[] })[]): KernelModel {
  const timed = networks.some((n) => n.kernelMs?.length);
  const timingWeight = timed ? TIMED_WEIGHT : 0;
  const shared = fitKernelModel(networks, [], { opWeight: 0, tied: true, terms: FEW_NETWORK_TERMS, timingWeight });
  // each op also at other sizes: a kind seen at one size alone learns from the shared terms how it scales
  const priced = (kernels: readonly KernelInstance[]) => PRIOR_SIZES.map((f) => resized(kernels, f)).map((at) => ({ kernels: at, ms: kernelsMs(shared, at) }));
  const prior = networks.flatMap((n) =>
    n.nodes
      ? n.nodes.flatMap((node) => {
          const kernels = opKernels(node.spec, node.inputShape);
          return kernels.length ? priced(kernels) : [];
        })
      : n.kernels.flatMap((k) => priced([k])),
  );
  return timed
    ? fitKernelModel(networks, prior, {
        opWeight: TIMED_PRIOR_WEIGHT,
        timingWeight,
        terms: TIMED_TERMS,
        kindDispatch: { priorMs: shared.dispatchMs ?? 0, weight: KIND_DISPATCH_PRIOR_WEIGHT },
      })
    : fitKernelModel(networks, prior, { opWeight: TIED_PRIOR_WEIGHT, terms: FEW_NETWORK_TERMS });
}

export interface ModelBase {
  readonly model: CostModel;
  readonly networkSamples: readonly NetworkSample[];
  readonly opSamples: readonly OpSample[];
  /** Networks earlier searches on this device measured, fitted alongside the calibration's own. */
  readonly searchSamples?: readonly KernelNetworkSample[];
}

/**
 * The latency model refined with the networks this search has measured. With a device calibration that has a
 * kernel model, its kernel terms are refitted on its networks, its microbenchmarks and earlier searches'
 * networks together with `measured`, then scaled to `measured` alone; with an older calibration, its per-op terms
 * are kept and the network terms refitted; without one, a kernel model is fitted on `measured` alone once there
 * are MIN_SAMPLES networks (before that: null, nothing to predict from yet).
 */
export function refinedModel(base: ModelBase | null, measured: readonly MeasuredNetwork[]): CostModel | null {
  const usable = measured.filter((m) => Number.isFinite(m.measuredMs) && m.measuredMs > 0);
  // with nothing measured yet a calibration predicts as stored, unless earlier searches left it networks to refit on
  if (base && usable.length === 0 && !(base.model.kernels && base.searchSamples?.length)) return base.model;
  if (!base && usable.length < MIN_SAMPLES) return null;
  const kinds = base?.model.kinds ?? PRIOR_KINDS;
  const fromRun: NetworkSample[] = usable.map((m) => ({ ...networkFeatures(kinds, m.nodes), measuredMs: m.measuredMs }));
  // the calibration's networks were measured with the same per-op terms, so they fit alongside the run's own
  const network = fitNetwork([...(base?.networkSamples ?? []), ...fromRun]);
  const runKernels = usable.map((m) => ({
    nodes: m.nodes,
    kernels: networkKernels(m.nodes),
    measuredMs: m.measuredMs,
    weight: timingTrust(m.spread),
    ...(m.kernelMs ? { kernelMs: m.kernelMs } : {}),
  }));
  if (!base) return { kinds, network, kernels: kernelModelFromNetworks(runKernels) };
  if (!base.model.kernels) return { kinds, network };
  const calibration = kernelNetworkSamples(base.networkSamples);
  const networks = [...calibration, ...(base.searchSamples ?? []), ...runKernels];
  // the calibration chose how far its kernel timings count (cross-validated); the refit keeps that choice. A model
  // left with neither calibration networks nor microbenchmarks to anchor its ~170 terms starts from shared ones.
  const joint =
    calibration.length || base.opSamples.length
      ? fitKernelModel(networks, kernelOpSamples(base.opSamples), { timingWeight: base.model.kernels.timingWeight ?? 0 })
      : kernelModelFromNetworks(networks);
  return { kinds, network, kernels: usable.length >= MIN_SAMPLES ? rescaled(joint, runKernels) : joint };
}

/** Run networks before the rescaling also fits a constant; with fewer, a constant through 3 points swings wildly. */
const OFFSET_FROM = 10;

/**
 * `model` times a factor (plus, from OFFSET_FROM networks, a constant) fitted on the run's own networks: the
 * calibration fixes what kernels cost relative to each other, the run what the device costs now (warmer,
 * throttled, busier than when calibrated).
 */
function rescaled(model: KernelModel, run: readonly KernelNetworkSample[]): KernelModel {
  const predicted = run.map((n) => kernelNetworkMs(model, n.kernels));
  const [offset, factor] = nnls(
    predicted.map((p) => (run.length >= OFFSET_FROM ? [1, p] : [0, p])),
    run.map((n) => n.measuredMs),
    run.map((n) => (n.weight ?? 1) / n.measuredMs ** 2),
  ) as [number, number];
  return factor > 0 ? scaledKernelModel(model, factor, offset) : model;
}
