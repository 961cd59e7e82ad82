import { dot, solveLeastSquares } from '../core/linalg';

/** Ridge regression with an intercept: fit on rows of features, predict new rows. */
export interface Ridge {
  readonly weights: readonly number[];
  /** Root mean square of the residuals on the fitted rows. */
  readonly residualSd: number;
}

export function fitRidge(X: readonly (readonly number[])[], y: readonly number[], lambda: number): Ridge | null {
  const rows = X.map((x) => [1, ...x]);
  const weights = solveLeastSquares(rows, y, undefined, lambda);
  if (!weights) return null;
  const residuals = rows.map((r, i) => y[i]! - dot(r, weights));
  return { weights, residualSd: Math.sqrt(residuals.reduce((s, e) => s + e * e, 0) / Math.max(1, residuals.length)) };
}

export const predictRidge = (m: Ridge, x: readonly number[]): number => dot([1, ...x], m.weights);

/**
 * Accuracy (%) modelled as -log(100.5 - accuracy): error is roughly log-normal, and the log keeps a few broken
 * networks (10% accuracy) from dominating a least-squares fit of the good ones.
 */
export const accuracyToTarget = (accuracy: number): number => -Math.log(100.5 - accuracy);
export const targetToAccuracy = (t: number): number => 100.5 - Math.exp(-t);
