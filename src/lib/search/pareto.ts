/** Pareto dominance for minimisation: `a` is no worse everywhere and better somewhere. */
export function dominates(a: readonly number[], b: readonly number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/**
 * Fast non-dominated sort (NSGA-II, Deb et al. 2002): fronts of indices into `points`, best first.
 * O(M N^2) for N points of M objectives.
 */
export function nonDominatedSort(points: readonly (readonly number[])[]): number[][] {
  const n = points.length;
  const dominatedBy: number[][] = Array.from({ length: n }, () => []);
  const dominationCount = new Array<number>(n).fill(0);
  const fronts: number[][] = [[]];
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      if (dominates(points[p]!, points[q]!)) {
        dominatedBy[p]!.push(q);
        dominationCount[q]!++;
      } else if (dominates(points[q]!, points[p]!)) {
        dominatedBy[q]!.push(p);
        dominationCount[p]!++;
      }
    }
    // Every pair with p has been compared by now, so its count is final.
    if (dominationCount[p] === 0) fronts[0]!.push(p);
  }
  for (let i = 0; fronts[i]!.length > 0; i++) {
    const next: number[] = [];
    for (const p of fronts[i]!) {
      for (const q of dominatedBy[p]!) if (--dominationCount[q]! === 0) next.push(q);
    }
    fronts.push(next.sort((a, b) => a - b));
  }
  fronts.pop();
  return fronts;
}

/** Equal in every objective: one point of a front, however many candidates share it. */
export const samePoint = (a: readonly number[], b: readonly number[]): boolean => a.every((v, i) => v === b[i]);

/**
 * Indices of the non-dominated points (the first front), ascending. Equal points are one point of the front:
 * the first of them stands for the rest (else 20,000 copies of one network would all be "the front"). Keeps a
 * running archive, so it costs O(N x front size) instead of the full sort's O(N^2).
 */
export function paretoFront(points: readonly (readonly number[])[]): number[] {
  let archive: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (archive.some((j) => dominates(points[j]!, p) || samePoint(points[j]!, p))) continue;
    archive = archive.filter((j) => !dominates(p, points[j]!));
    archive.push(i);
  }
  return archive.sort((a, b) => a - b);
}
