import { boundsOf, hypervolume, normalize } from './hypervolume';
import { paretoFront } from './pareto';

/**
 * Picks up to `count` candidates, one at a time, each adding the most hypervolume to the front of the
 * evaluated points and the picks so far, taking each candidate's predicted objectives (minimised) as if true.
 * Objectives are normalised by the front of evaluated and predicted points together (reference 1.1), so the
 * choice needs no knowledge of the true front. Returns candidate indices; fewer when nothing adds volume.
 */
export function greedyHvBatch(evaluated: readonly (readonly number[])[], predicted: readonly (readonly number[])[], count: number): number[] {
  return expectedHvBatch(
    evaluated,
    predicted.map((p) => ({ believed: p, outcomes: [p] })),
    count,
  );
}

/** A candidate for `expectedHvBatch`: equally likely objective vectors, and the one to assume once it is picked. */
export interface Scenarios {
  readonly outcomes: readonly (readonly number[])[];
  readonly believed: readonly number[];
}

/**
 * Expected hypervolume improvement over each candidate's scenarios (e.g. quantiles of a predicted error),
 * picked greedily: after each pick its believed objectives join the front ("kriging believer", Ginsbourger
 * et al. 2010), so a batch spreads out instead of stacking on one gap. Objectives are normalised by the front of
 * evaluated and believed points together (reference 1.1), so the choice needs no knowledge of the true front.
 * Returns candidate indices; fewer when nothing is expected to add volume.
 */
export function expectedHvBatch(evaluated: readonly (readonly number[])[], candidates: readonly Scenarios[], count: number): number[] {
  const finite = (p: readonly number[]) => p.every(Number.isFinite);
  const known = evaluated.filter(finite);
  const all = [...known, ...candidates.map((c) => c.believed).filter(finite)];
  if (all.length === 0) return [];
  const bounds = boundsOf(paretoFront(all).map((i) => all[i]!));
  const ref = new Array<number>(bounds.ideal.length).fill(1.1);
  const knownNorm = normalize(known, bounds);
  let front = paretoFront(knownNorm).map((i) => knownNorm[i]!);
  let base = hypervolume(front, ref);
  const outcomes = candidates.map((c) => normalize(c.outcomes.filter(finite), bounds));
  const gainOf = (p: readonly number[]): number => {
    if (p.some((v) => v >= 1.1) || front.some((q) => q.every((v, k) => v <= p[k]!))) return 0;
    return hypervolume([...front, p], ref) - base;
  };
  const picked: number[] = [];
  for (let n = 0; n < count; n++) {
    let best = -1;
    let bestGain = 1e-12;
    outcomes.forEach((os, i) => {
      if (picked.includes(i) || os.length === 0) return;
      const gain = os.reduce((s, p) => s + gainOf(p), 0) / os.length;
      if (gain > bestGain) [best, bestGain] = [i, gain];
    });
    if (best < 0) break;
    picked.push(best);
    const [believed] = normalize([candidates[best]!.believed], bounds);
    front = [...front.filter((q) => !believed!.every((v, k) => v <= q[k]!)), believed!];
    base = hypervolume(front, ref);
  }
  return picked;
}
