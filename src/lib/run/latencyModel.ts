import { timingTrust } from '../costmodel/kernelFit';
import { refinedModel, type MeasuredNetwork } from '../costmodel/online';
import { lowerGenome, type GraphNode } from '../genome/graph';
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

/** The speed reference's usual time (ms) a candidate's latency was taken to, where it was timed against it. */
const usualOf = (c: CandidateRecord): number | null => {
  const r = c.metrics.latencyRelative;
  return r && r > 0 ? c.metrics.latencyMs / r : null;
};

/**
 * The usual time the latest-finished of `candidates` was taken to. The usual settles as the reference's readings
 * accrue (5-10% over a run here): candidates read at it alike, and the next one is timed at about it.
 */
function latestUsual(candidates: readonly CandidateRecord[]): number | null {
  let latest: CandidateRecord | null = null;
  for (const c of candidates) if (hasLatency(c) && usualOf(c) !== null && (!latest || c.finishedAt > latest.finishedAt)) latest = c;
  return latest && usualOf(latest);
}

/** A candidate's latency and kernel timings taken to `usual` (as measured where either usual time is unknown). */
function timedAt(usual: number | null, c: CandidateRecord): { readonly measuredMs: number; readonly kernelMs?: readonly number[] } {
  const own = usualOf(c);
  const factor = usual === null || own === null ? 1 : usual / own;
  const { latencyMs, kernelMs } = c.metrics;
  return { measuredMs: latencyMs * factor, ...(kernelMs ? { kernelMs: kernelMs.map((ms) => ms * factor) } : {}) };
}

/** A finished run's measured candidates, at the run's latest usual speed, as kept with the profile for the runs after it. */
export function searchSamplesOf(runId: string, limits: SpaceLimits, candidates: readonly CandidateRecord[], completedAt: number): SearchSample[] {
  const usual = latestUsual(candidates);
  return candidates.filter(hasLatency).map((c) => ({
    kernels: networkKernels(lowerGenome(c.genome, limits).nodes),
    ...timedAt(usual, c),
    weight: timingTrust(candidateSpread(c)),
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
  const lowered = new Map<string, readonly GraphNode[]>();
  const nodesOf = (c: CandidateRecord): readonly GraphNode[] => {
    const kept = lowered.get(c.id);
    if (kept) return kept;
    const nodes = lowerGenome(c.genome, limits).nodes;
    lowered.set(c.id, nodes);
    return nodes;
  };
  // every known candidate at the latest usual speed: one network read at two moments of a run then reads alike
  const measured = (known: readonly CandidateRecord[]): MeasuredNetwork[] => {
    const usual = latestUsual(known);
    return known.filter(hasLatency).map((c) => ({ nodes: nodesOf(c), ...timedAt(usual, c), spread: candidateSpread(c) }));
  };
  // a candidate's plan and its prediction ask with the same known candidates, one after the other: fit once
  let last: { readonly key: string; readonly predictor: Predictor | null } | null = null;
  return (known) => {
    const key = known.map((c) => c.id).join(',');
    if (last?.key !== key) {
      const model = refinedModel(base, measured(known));
      last = { key, predictor: model ? predictorForModel(model, limits, power) : null };
    }
    return last.predictor;
  };
}
