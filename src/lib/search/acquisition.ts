import { boundsOf, hypervolume, normalize } from './hypervolume';
import { paretoFront } from './pareto';

/**
 * Picks up to `count` candidates, one at a time, each adding the most hypervolume to the front of the
 * evaluated points and the picks so far, taking each candidate's predicted objectives (minimised) as if true.
 * Objectives are normalised by the front of evaluated and predicted points together (reference 1.1), so the
 * choice needs no knowledge of the true front. Returns candidate indices; fewer when nothing adds volume.
 */
export function greedyHvBatch(evaluated: readonly (readonly number[])[], predicted: readonly (readonly number[])[], count: number): number[] {
  const finite = (p: readonly number[]) => p.every(Number.isFinite);
  const all = [...evaluated, ...predicted].filter(finite);
  if (all.length === 0) return [];
  const bounds = boundsOf(paretoFront(all).map((i) => all[i]!));
  const ref = new Array<number>(bounds.ideal.length).fill(1.1);
  const norm = (ps: readonly (readonly number[])[]) => normalize(ps, bounds);
  let front = paretoFront(norm(evaluated.filter(finite))).map((i) => norm(evaluated.filter(finite))[i]!);
  let base = hypervolume(front, ref);
  const cands = norm(predicted);
  const picked: number[] = [];
  const taken = new Set<number>();
  for (let n = 0; n < count; n++) {
    let best = -1;
    let bestGain = 1e-12;
    cands.forEach((p, i) => {
      if (taken.has(i) || !finite(p) || p.some((v) => v >= 1.1)) return;
      if (front.some((q) => q.every((v, k) => v <= p[k]!))) return; // dominated: adds nothing
      const gain = hypervolume([...front, p], ref) - base;
      if (gain > bestGain) [best, bestGain] = [i, gain];
    });
    if (best < 0) break;
    picked.push(best);
    taken.add(best);
    front = [...front, cands[best]!];
    base += bestGain;
  }
  return picked;
}
