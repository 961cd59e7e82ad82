import type { GraphNode } from '../genome/graph';
import { FEATURES, type CostKind, type Feature } from './features';
import { fitNetwork, networkFeatures, type CostModel, type KindCoefficients, type NetworkSample } from './model';

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
}

/** Networks measured before the model is worth more than the calibration it starts from (or than nothing). */
export const MIN_SAMPLES = 3;

/**
 * The latency model refined with the networks this search has measured: the per-op terms of `base` (a device
 * calibration) or the prior, and network terms (overhead, per op, per group scale) fitted on `measured`,
 * together with `base`'s own fitting networks when there is one. Below MIN_SAMPLES measured networks and
 * without a base it returns null: there is nothing to predict from yet.
 */
export function refinedModel(
  base: { readonly model: CostModel; readonly networkSamples: readonly NetworkSample[] } | null,
  measured: readonly MeasuredNetwork[],
): CostModel | null {
  const usable = measured.filter((m) => Number.isFinite(m.measuredMs) && m.measuredMs > 0);
  if (usable.length < MIN_SAMPLES) return base?.model ?? null;
  const kinds = base?.model.kinds ?? PRIOR_KINDS;
  const fromRun: NetworkSample[] = usable.map((m) => ({ ...networkFeatures(kinds, m.nodes), measuredMs: m.measuredMs }));
  // the calibration's networks were measured with the same per-op terms, so they fit alongside the run's own
  return { kinds, network: fitNetwork([...(base?.networkSamples ?? []), ...fromRun]) };
}
