import { objectiveValue, type ObjectiveId } from '../search/objectives';
import type { CandidateRecord } from '../records';
import type { Promotion } from '../records/figures';

/** Learning curves this run must have seen before it stops anything. */
export const MIN_CURVES = 4;
/** Accuracy a stopped candidate is given in hand beyond the most optimistic curve seen. */
export const PROMOTION_MARGIN = 0.02;

/**
 * Whether a candidate about to train gets a promotion test after its first epoch, and its bar. It may stop
 * only if finished candidates at most as costly in every free objective (`costs`: objectives 2..m as known
 * before training) are more accurate than it could become: its epoch-1 error shrunk by the strongest
 * shrink this run's complete learning curves have shown, plus a margin. Null: train it fully.
 */
export function promotionFor(epochs: number, costs: readonly number[], objectives: readonly ObjectiveId[], done: readonly CandidateRecord[]): Promotion | null {
  if (epochs < 2 || objectives[0] !== 'error') return null;
  const finished = done.filter((c) => c.status === 'done' && !c.overBudget && Number.isFinite(c.metrics.accuracy));
  const shrink = finished
    .filter((c) => !c.stoppedEarly && c.history.length >= 2 && c.history[0]!.valAccuracy < 1)
    .map((c) => (1 - c.metrics.accuracy) / (1 - c.history[0]!.valAccuracy));
  if (shrink.length < MIN_CURVES) return null;
  const strongest = Math.min(...shrink);
  const cheaper = finished.filter((c) => objectives.slice(1).every((id, k) => objectiveValue(c.metrics, id) <= costs[k]!));
  if (cheaper.length === 0) return null;
  const bar = Math.max(...cheaper.map((c) => c.metrics.accuracy)) - PROMOTION_MARGIN;
  // best possible final accuracy 1 - e1 * strongest must reach the bar: e1 <= (1 - bar) / strongest
  if (strongest <= 0) return null; // some network went from its first epoch to no error at all
  const minValAccuracy = 1 - (1 - bar) / strongest;
  return minValAccuracy > 0 ? { afterEpoch: 1, minValAccuracy } : null;
}

export type { Promotion } from '../records/figures';
