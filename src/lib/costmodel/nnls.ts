import { solveLeastSquares } from '../core/linalg';

/**
 * Weighted least squares with non-negative coefficients (Lawson & Hanson 1974, active set): exact for any
 * number of columns, where trying every subset of features stopped being possible past a dozen (and `1 << k`
 * wrapped around past 31). Columns are scaled to unit maximum first so FLOPs (~1e7) and constants (1) are
 * solved together stably.
 */
export function nnls(X: readonly (readonly number[])[], y: readonly number[], w: readonly number[]): number[] {
  const k = X[0]?.length ?? 0;
  const scale = Array.from({ length: k }, (_, j) => X.reduce((m, row) => Math.max(m, Math.abs(row[j]!)), 0) || 1);
  const Xs = X.map((row) => row.map((v, j) => v / scale[j]!));
  const x = new Array<number>(k).fill(0);
  const passive = new Set<number>();
  const tol = 1e-10;
  for (let outer = 0; outer < 3 * k + 10; outer++) {
    const grad = gradient(Xs, y, w, x);
    let best = -1;
    for (let j = 0; j < k; j++) if (!passive.has(j) && grad[j]! > tol && (best < 0 || grad[j]! > grad[best]!)) best = j;
    if (best < 0) break;
    passive.add(best);
    for (let inner = 0; inner < 3 * k + 10; inner++) {
      const s = solveOn(Xs, y, w, passive, k);
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

/** The least-squares solution on the passive columns only (zero elsewhere), or null when singular. */
function solveOn(X: readonly (readonly number[])[], y: readonly number[], w: readonly number[], passive: ReadonlySet<number>, k: number): number[] | null {
  const cols = [...passive].sort((a, b) => a - b);
  const sub = solveLeastSquares(
    X.map((row) => cols.map((j) => row[j]!)),
    y,
    w,
  );
  if (!sub) return null;
  const s = new Array<number>(k).fill(0);
  cols.forEach((j, i) => (s[j] = sub[i]!));
  return s;
}

/** X^T W (y - X x): the direction each coefficient would lower the weighted error in. */
function gradient(X: readonly (readonly number[])[], y: readonly number[], w: readonly number[], x: readonly number[]): number[] {
  const g = new Array<number>(x.length).fill(0);
  X.forEach((row, i) => {
    const r = w[i]! * (y[i]! - row.reduce((p, v, j) => p + v * x[j]!, 0));
    row.forEach((v, j) => (g[j] = g[j]! + v * r));
  });
  return g;
}
