import { normalEquations, solveAugmented, type NormalEquations } from '../core/linalg';

/**
 * `a` plus `factor` times `b`: every fold's equations less one fold's (-1), or rows weighted as a group. The
 * equations of a problem are sums over its rows, so they add and scale as its row weights do.
 */
export const combined = (a: NormalEquations, b: NormalEquations, factor = 1): NormalEquations => ({
  gram: a.gram.map((row, i) => row.map((v, j) => v + factor * b.gram[i]![j]!)),
  moment: a.moment.map((v, i) => v + factor * b.moment[i]!),
});

/**
 * Weighted least squares with non-negative coefficients (Lawson & Hanson 1974, active set): exact for any
 * number of columns, where trying every subset of features stopped being possible past a dozen (and `1 << k`
 * wrapped around past 31). Columns are scaled to a common size first (by the Gram diagonal) so FLOPs (~1e7) and
 * constants (1) are solved together stably.
 */
export function nnls(X: readonly (readonly number[])[], y: readonly number[], w: readonly number[]): number[] {
  const k = X[0]?.length ?? 0;
  return nnlsNormal(normalEquations(X, y, w, k));
}

/** NNLS from the normal equations (see `nnls`); columns no row uses stay 0. */
export function nnlsNormal(eq: NormalEquations): number[] {
  const k = eq.moment.length;
  // scale by the diagonal: the normal-equation form of scaling each column to a common size
  const scale = eq.gram.map((row, j) => Math.sqrt(row[j]!) || 1);
  const G = eq.gram.map((row, a) => row.map((v, b) => v / scale[a]! / scale[b]!));
  const m = eq.moment.map((v, a) => v / scale[a]!);
  const x = new Array<number>(k).fill(0);
  const passive = new Set<number>();
  const tol = 1e-10;
  for (let outer = 0; outer < 3 * k + 10; outer++) {
    const grad = m.map((v, a) => v - G[a]!.reduce((s, g, b) => s + g * x[b]!, 0));
    let best = -1;
    for (let j = 0; j < k; j++) if (!passive.has(j) && G[j]![j]! > 0 && grad[j]! > tol && (best < 0 || grad[j]! > grad[best]!)) best = j;
    if (best < 0) break;
    passive.add(best);
    for (let inner = 0; inner < 3 * k + 10; inner++) {
      const s = solveOn(G, m, passive, k);
      if (!s) {
        passive.delete(best); // a column that makes the system singular adds nothing
        break;
      }
      if ([...passive].every((j) => s[j]! > tol)) {
        for (let j = 0; j < k; j++) x[j] = s[j]!;
        break;
      }
      // step from x towards s as far as every coefficient stays non-negative, then drop the ones that hit zero
      let alpha = 1;
      for (const j of passive) if (s[j]! <= tol) alpha = Math.min(alpha, x[j]! / (x[j]! - s[j]!));
      for (let j = 0; j < k; j++) x[j] = x[j]! + alpha * (s[j]! - x[j]!);
      for (const j of [...passive])
        if (x[j]! <= tol) {
          passive.delete(j);
          x[j] = 0;
        }
    }
  }
  return x.map((c, j) => c / scale[j]!);
}

/** The normal equations solved on the passive columns only (zero elsewhere), or null when singular. */
function solveOn(G: readonly (readonly number[])[], m: readonly number[], passive: ReadonlySet<number>, k: number): number[] | null {
  const cols = [...passive].sort((a, b) => a - b);
  const sub = solveAugmented(cols.map((a) => [...cols.map((b) => G[a]![b]!), m[a]!]));
  if (!sub) return null;
  const s = new Array<number>(k).fill(0);
  cols.forEach((j, i) => (s[j] = sub[i]!));
  return s;
}
