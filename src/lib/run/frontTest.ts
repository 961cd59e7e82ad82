import { frontIds } from './analysis';
import type { CandidateRecord, FullRetrain, RunRecord } from '../records';

/** A cost a tested network is picked by: what the user deploys under. */
export type TestCost = 'params' | 'energyMj' | 'latencyMs';

export type TestedCandidate = CandidateRecord & { readonly fullRetrain: FullRetrain };

/**
 * The networks "Retrain and test the front" trains, most accurate first: the run's finished front under its
 * own objectives, and any extra pick (the report's two) that is not on it. `front`: the run's front when the
 * caller already keeps it (the page does, one candidate at a time).
 */
export function frontToRetrain(
  run: RunRecord,
  candidates: readonly CandidateRecord[],
  picks: readonly CandidateRecord[] = [],
  front: ReadonlySet<string> = frontIds(candidates, run.config.objectives),
): CandidateRecord[] {
  const extra = new Set(picks.map((c) => c.id));
  return candidates
    .filter((c) => c.status === 'done' && (front.has(c.id) || extra.has(c.id)))
    .sort((a, b) => b.metrics.accuracy - a.metrics.accuracy || a.seq - b.seq);
}

/** Whether a candidate still needs a retrain for `epochs` (one done with other epochs is done again). */
export const needsRetrain = (c: CandidateRecord, epochs: number): boolean => c.fullRetrain?.epochs !== epochs;

export const isTested = (c: CandidateRecord): c is TestedCandidate => c.fullRetrain !== undefined;

/** The test-split picks: the most accurate retrained network, and the cheapest within `tolerancePoints` of it. */
export interface TestedPicks {
  readonly best: TestedCandidate;
  readonly cheapest: TestedCandidate;
  /** best / cheapest in the chosen cost (> 1: the cheapest is that many times cheaper). */
  readonly costRatio: number;
}

/** Picks on test accuracy among the retrained candidates, or null while none is. */
export function testedPicks(candidates: readonly CandidateRecord[], tolerancePoints: number, cost: TestCost): TestedPicks | null {
  const tested = candidates.filter(isTested);
  if (tested.length === 0) return null;
  const test = (c: TestedCandidate) => c.fullRetrain.testAccuracy;
  const top = Math.max(...tested.map(test));
  const byCost = (a: TestedCandidate, b: TestedCandidate) => a.metrics[cost] - b.metrics[cost] || test(b) - test(a) || a.seq - b.seq;
  const best = tested.filter((c) => test(c) === top).sort(byCost)[0]!;
  // the same hair of slack as the validation report, so that "within 1 point" includes exactly 1 point
  const cheapest = tested.filter((c) => (top - test(c)) * 100 <= tolerancePoints + 1e-9).sort(byCost)[0]!;
  return { best, cheapest, costRatio: best.metrics[cost] / cheapest.metrics[cost] };
}
