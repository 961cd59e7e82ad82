import { objectiveVector, type ObjectiveId } from '../search/objectives';
import { paretoFront } from '../search/pareto';
import { finishedInOrder, RunTrace, type RunFrontView } from './runTrace';
import { extent, median } from '../core/stats';
import { powerInterval, powerLabel, type PowerSource } from '../energy/energy';
import type { CandidateRecord } from '../records';

/** Pure views of a run's candidates, shared by the UI and the headless runner. */

const finished = (candidates: readonly CandidateRecord[]): CandidateRecord[] => candidates.filter((c) => c.status === 'done');

/** Ids of the non-dominated finished candidates for these objectives (of equal ones, the first to finish). */
export function frontIds(candidates: readonly CandidateRecord[], objectives: readonly ObjectiveId[]): ReadonlySet<string> {
  // the trace's front without its hypervolume history: the same archive, in the same (finish) order
  const done = finishedInOrder(candidates);
  return new Set(paretoFront(done.map((c) => objectiveVector(c.metrics, objectives))).map((i) => done[i]!.id));
}

/**
 * Hypervolume of the front after each finished candidate (in the order they finished), objectives normalised to
 * the run's own range (ideal 0, nadir 1, reference point 1.1), as a share of the reference box (so in [0, 1]).
 */
export const hypervolumeCurve = (candidates: readonly CandidateRecord[], objectives: readonly ObjectiveId[]): RunFrontView['curve'] =>
  new RunTrace(objectives).update(candidates).curve;

/** Estimated ms left: mean time of the candidates so far x candidates remaining. */
export function etaMs(candidates: readonly CandidateRecord[], total: number): number | null {
  if (candidates.length === 0) return null;
  const mean = candidates.reduce((s, c) => s + c.timings.totalMs, 0) / candidates.length;
  return mean * Math.max(0, total - candidates.length);
}

export function bestAccuracy(candidates: readonly CandidateRecord[]): number {
  return Math.max(0, extent(finished(candidates).map((c) => c.metrics.accuracy))?.[1] ?? 0);
}

/**
 * The latency model's accuracy on this run's trained candidates (the prediction made before training against
 * the measured median), over all of them or the `last` that had a prediction, in run order.
 */
export function costModelOnRun(candidates: readonly CandidateRecord[], last = Infinity): { n: number; within10Share: number; medianAbsPctErr: number } | null {
  const all = [...candidates]
    .sort((a, b) => a.seq - b.seq)
    .flatMap((c) => (c.metrics.latencyErrorPct === null || !Number.isFinite(c.metrics.latencyErrorPct) ? [] : [Math.abs(c.metrics.latencyErrorPct)]));
  const errors = Number.isFinite(last) ? all.slice(-last) : all;
  if (errors.length === 0) return null;
  return { n: errors.length, within10Share: errors.filter((e) => e <= 10).length / errors.length, medianAbsPctErr: median(errors) };
}

/** Energy the search itself has spent so far (training and measuring every candidate), J, with its range. */
export function searchEnergyJ(candidates: readonly CandidateRecord[], power: PowerSource): { joules: number; low: number; high: number; label: string } {
  const seconds = candidates.reduce((s, c) => s + c.timings.totalMs, 0) / 1000;
  const p = powerInterval(power);
  return { joules: seconds * p.watts, low: seconds * p.lowW, high: seconds * p.highW, label: powerLabel(power) };
}
