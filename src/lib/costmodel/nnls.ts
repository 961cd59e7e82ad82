import { solveLeastSquares } from '../core/linalg';

/**
 * Weighted least squares with non-negative coefficients for a handful of features: every subset of features
 * is solved exactly and the best feasible one kept (exact NNLS; fine for up to ~6 columns).
 * Columns are scaled to unit maximum first so FLOPs (~1e7) and constants (1) are solved together stably.
 */
export function nnls(X: readonly (readonly number[])[], y: readonly number[], w: readonly number[]): number[] {
  const k = X[0]?.length ?? 0;
  const scale = Array.from({ length: k }, (_, j) => Math.max(...X.map((row) => Math.abs(row[j]!))) || 1);
  const Xs = X.map((row) => row.map((v, j) => v / scale[j]!));
  let best: { coef: number[]; sse: number } = { coef: new Array<number>(k).fill(0), sse: sse(Xs, y, w, new Array<number>(k).fill(0)) };
  for (let mask = 1; mask < 1 << k; mask++) {
    const cols = Array.from({ length: k }, (_, j) => j).filter((j) => mask & (1 << j));
    const sub = solveLeastSquares(
      Xs.map((row) => cols.map((j) => row[j]!)),
      y,
      w,
    );
    if (!sub || sub.some((c) => c < 0)) continue;
    const coef = new Array<number>(k).fill(0);
    cols.forEach((j, i) => (coef[j] = sub[i]!));
    const e = sse(Xs, y, w, coef);
    if (e < best.sse) best = { coef, sse: e };
  }
  return best.coef.map((c, j) => c / scale[j]!);
}

function sse(X: readonly (readonly number[])[], y: readonly number[], w: readonly number[], coef: readonly number[]): number {
  return X.reduce((s, row, i) => s + w[i]! * (row.reduce((p, v, j) => p + v * coef[j]!, 0) - y[i]!) ** 2, 0);
}
