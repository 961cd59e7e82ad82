/** The normal equations of a weighted least-squares problem, X^T W X and X^T W y. */
export interface NormalEquations {
  readonly gram: readonly (readonly number[])[];
  readonly moment: readonly number[];
}

/** The normal equations of rows `X` against `y` with weights `w` (1 where absent), over `k` columns. */
export function normalEquations(X: readonly (readonly number[])[], y: readonly number[], w?: readonly number[], k = X[0]?.length ?? 0): NormalEquations {
  const gram = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const moment = new Array<number>(k).fill(0);
  X.forEach((row, i) => {
    const nonzero = row.flatMap((v, j) => (v !== 0 ? [j] : []));
    for (const a of nonzero) {
      const wa = (w ? w[i]! : 1) * row[a]!;
      moment[a] = moment[a]! + wa * y[i]!;
      for (const b of nonzero) gram[a]![b] = gram[a]![b]! + wa * row[b]!;
    }
  });
  return { gram, moment };
}

/** Solves the augmented system [A | b] (n rows of n + 1) in place by Gauss-Jordan with partial pivoting; null when singular. */
export function solveAugmented(A: number[][]): number[] | null {
  const n = A.length;
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[pivot]![c]!)) pivot = r;
    if (Math.abs(A[pivot]![c]!) < 1e-12) return null;
    [A[c], A[pivot]] = [A[pivot]!, A[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      if (f !== 0) for (let j = c; j <= n; j++) A[r]![j]! -= f * A[c]![j]!;
    }
  }
  return A.map((row, i) => row[n]! / row[i]!);
}

/**
 * Weighted, ridge-regularised least squares by the normal equations: argmin sum w_i (x_i.b - y_i)^2 + lambda |b|^2,
 * with the first column (the intercept) unpenalised. Null when the system is singular.
 */
export function solveLeastSquares(X: readonly (readonly number[])[], y: readonly number[], w?: readonly number[], lambda = 0): number[] | null {
  const { gram, moment } = normalEquations(X, y, w);
  const A = gram.map((row, a) => [...row, moment[a]!]);
  for (let a = 1; a < A.length; a++) A[a]![a]! += lambda;
  return solveAugmented(A);
}

export const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
