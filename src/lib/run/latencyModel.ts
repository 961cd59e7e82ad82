import { timingTrust } from '../costmodel/kernelFit';
import { refinedModel, type MeasuredNetwork } from '../costmodel/online';
import { lowerGenome } from '../genome/graph';
import type { SpaceLimits } from '../genome/types';
import type { PowerSource } from '../energy/energy';
import type { CostProfile, SearchSample } from '../measure/profile';
import { spreadOf } from '../measure/protocol';
import { networkKernels } from '../costmodel/runtimeKernels';
import type { CandidateRecord } from '../records';
import { predictorForModel, type Predictor } from './predict';

/** How steadily a candidate was timed: the spread of its latency samples. */
const candidateSpread = (c: CandidateRecord): number =>
  spreadOf({ p25Ms: c.metrics.latencyP25Ms, p75Ms: c.metrics.latencyP75Ms, medianMs: c.metrics.latencyMs });

/** A candidate that trained and whose latency was measured. */
const hasLatency = (c: CandidateRecord): boolean => c.status === 'done' && Number.isFinite(c.metrics.latencyMs) && c.metrics.latencyMs > 0;

/** A finished run's measured candidates, as kept with the profile for the runs after it. */
export function searchSamplesOf(runId: string, limits: SpaceLimits, candidates: readonly CandidateRecord[], completedAt: number): SearchSample[] {
  return candidates.filter(hasLatency).map((c) => ({
    kernels: networkKernels(lowerGenome(c.genome, limits).nodes),
    measuredMs: c.metrics.latencyMs,
    weight: timingTrust(candidateSpread(c)),
    ...(c.metrics.kernelMs ? { kernelMs: c.metrics.kernelMs } : {}),
    runId,
    completedAt,
  }));
}

/**
 * The search's latency predictor, refined with every candidate it has measured: `from(known)` is the device's
 * calibration (if any) refitted with earlier searches' candidates and the finished candidates in `known`
 * (`refinedModel`), or, on a device without one, a model fitted on those candidates alone once there are
 * enough (else null). The caller passes
 * the candidates a decision may depend on (those told, or known when a candidate was asked for), so a resumed
 * run predicts exactly as it did.
 */
export function searchPredictor(
  profile: CostProfile | null,
  limits: SpaceLimits,
  power: PowerSource,
  runCreatedAt: number,
): (known: readonly CandidateRecord[]) => Predictor | null {
  // earlier searches' candidates from runs finished before this one began: a resumed run sees what it saw first
  const earlier = (profile?.searchSamples ?? []).filter((s) => s.completedAt < runCreatedAt);
  const base = profile && { ...profile, searchSamples: earlier };
  const lowered = new Map<string, MeasuredNetwork>();
  const measured = (c: CandidateRecord): MeasuredNetwork[] => {
    if (!hasLatency(c)) return [];
    let m = lowered.get(c.id);
    if (!m) {
      const { kernelMs } = c.metrics;
      m = { nodes: lowerGenome(c.genome, limits).nodes, measuredMs: c.metrics.latencyMs, spread: candidateSpread(c), ...(kernelMs ? { kernelMs } : {}) };
      lowered.set(c.id, m);
    }
    return [m];
  };
  // a candidate's plan and its prediction ask with the same known candidates, one after the other: fit once
  let last: { readonly key: string; readonly predictor: Predictor | null } | null = null;
  return (known) => {
    const key = known.map((c) => c.id).join(',');
    if (last?.key !== key) {
      const model = refinedModel(base, known.flatMap(measured));
      last = { key, predictor: model ? predictorForModel(model, limits, power) : null };
    }
    return last.predictor;
  };
}
