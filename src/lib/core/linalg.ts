/**
 * Weighted, ridge-regularised least squares by the normal equations: argmin sum w_i (x_i.b - y_i)^2 + lambda |b|^2,
 * with the first column (the intercept) unpenalised. Null when the system is singular.
 */
export function solveLeastSquares(X: readonly (readonly number[])[], y: readonly number[], w?: readonly number[], lambda = 0): number[] | null {
  const k = X[0]?.length ?? 0;
  const A = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  X.forEach((row, i) => {
    const wi = w ? w[i]! : 1;
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) A[a]![b]! += wi * row[a]! * row[b]!;
      A[a]![k]! += wi * row[a]! * y[i]!;
    }
  });
  for (let a = 1; a < k; a++) A[a]![a]! += lambda;
  // Gauss-Jordan elimination with partial pivoting
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[pivot]![c]!)) pivot = r;
    if (Math.abs(A[pivot]![c]!) < 1e-12) return null;
    [A[c], A[pivot]] = [A[pivot]!, A[c]!];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let j = c; j <= k; j++) A[r]![j]! -= f * A[c]![j]!;
    }
  }
  return A.map((row, i) => row[k]! / row[i]!);
}

export const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
