import type { CandidateRecord } from '../records';
import { extent } from '../core/stats';

/** "Almost as accurate, much cheaper": the study's finding, computed for one run's own candidates. */
export interface FrontReport {
  /** Accuracy tolerance in percentage points. */
  readonly tolerancePoints: number;
  /** The most accurate candidate (least energy among ties). */
  readonly best: CandidateRecord;
  /** The candidate within the tolerance that spends least energy per inference (then fewest parameters). */
  readonly chosen: CandidateRecord;
  /** chosen - best, in percentage points (<= 0). */
  readonly accuracyDeltaPoints: number;
  /** best / chosen: how many times less the chosen one spends (> 1 means cheaper). */
  readonly energyRatio: number;
  readonly paramsRatio: number;
  readonly latencyRatio: number;
  /** e.g. "-0.6 points, 2.3x less energy, 3.1x smaller, 1.9x faster". */
  readonly summary: string;
  /** Where each figure comes from, in words. */
  readonly sources: { readonly energy: string; readonly latency: string; readonly params: string };
}

const usable = (c: CandidateRecord) => c.status === 'done' && !c.overBudget && Number.isFinite(c.metrics.accuracy) && Number.isFinite(c.metrics.energyMj);

function phrase(ratio: number, cheaper: string, costlier: string, same: string): string {
  if (Math.abs(ratio - 1) < 0.05) return same;
  return ratio > 1 ? `${ratio.toFixed(1)}x ${cheaper}` : `${(1 / ratio).toFixed(1)}x ${costlier}`;
}

/** The least element by `order`, in one pass (a run of 20,000 candidates is not sorted to take one). */
function first<T>(items: readonly T[], order: (a: T, b: T) => number): T {
  return items.reduce((best, c) => (order(c, best) < 0 ? c : best));
}

/** The report for a tolerance, or null while no candidate has finished. */
export function frontReport(candidates: readonly CandidateRecord[], tolerancePoints: number): FrontReport | null {
  const done = candidates.filter(usable);
  if (done.length === 0) return null;
  const byCost = (a: CandidateRecord, b: CandidateRecord) => a.metrics.energyMj - b.metrics.energyMj || a.metrics.params - b.metrics.params || a.seq - b.seq;
  const top = extent(done.map((c) => c.metrics.accuracy))![1];
  const best = first(
    done.filter((c) => c.metrics.accuracy === top),
    byCost,
  );
  // a hair of slack so that "within 1 point" includes exactly 1 point despite float rounding
  const within = done.filter((c) => (top - c.metrics.accuracy) * 100 <= tolerancePoints + 1e-9);
  const chosen = first(within, byCost);
  const accuracyDeltaPoints = (chosen.metrics.accuracy - best.metrics.accuracy) * 100;
  const energyRatio = best.metrics.energyMj / chosen.metrics.energyMj;
  const paramsRatio = best.metrics.params / chosen.metrics.params;
  const latencyRatio = best.metrics.latencyMs / chosen.metrics.latencyMs;
  const summary = [
    `${accuracyDeltaPoints === 0 ? '±0.0' : accuracyDeltaPoints.toFixed(1)} points`,
    phrase(energyRatio, 'less energy', 'more energy', 'same energy'),
    phrase(paramsRatio, 'smaller', 'larger', 'same size'),
    phrase(latencyRatio, 'faster', 'slower', 'same speed'),
  ].join(', ');
  return {
    tolerancePoints,
    best,
    chosen,
    accuracyDeltaPoints,
    energyRatio,
    paramsRatio,
    latencyRatio,
    summary,
    sources: {
      energy: `estimated: measured latency x power (${chosen.energy?.label ?? 'no power source'})`,
      latency: `measured on this device (${chosen.backend ?? 'unknown backend'}), median of timed batch-1 runs`,
      params: 'exact, from the network',
    },
  };
}
