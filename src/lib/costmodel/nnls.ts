/**
 * The normal equations of a weighted least-squares problem, X^T W X and X^T W y: all NNLS needs, so a fit
 * costs one pass over the rows however many iterations it takes, and folds of a cross-validation subtract.
 */
export interface NormalEquations {
  readonly gram: readonly (readonly number[])[];
  readonly moment: readonly number[];
}

export function normalEquations(X: readonly (readonly number[])[], y: readonly number[], w: readonly number[], k = X[0]?.length ?? 0): NormalEquations {
  const gram = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const moment = new Array<number>(k).fill(0);
  X.forEach((row, i) => {
    const nonzero = row.flatMap((v, j) => (v !== 0 ? [j] : []));
    for (const a of nonzero) {
      const wa = w[i]! * row[a]!;
      moment[a] = moment[a]! + wa * y[i]!;
      for (const b of nonzero) gram[a]![b] = gram[a]![b]! + wa * row[b]!;
    }
  });
  return { gram, moment };
}

/** `a` plus `sign` times `b`, e.g. every fold's equations less one fold's. */
export const combined = (a: NormalEquations, b: NormalEquations, sign = 1): NormalEquations => ({
  gram: a.gram.map((row, i) => row.map((v, j) => v + sign * b.gram[i]![j]!)),
  moment: a.moment.map((v, i) => v + sign * b.moment[i]!),
});

/**
 * Weighted least squares with non-negative coefficients (Lawson & Hanson 1974, active set): exact for any
 * number of columns, where trying every subset of features stopped being possible past a dozen (and `1 << k`
 * wrapped around past 31). Columns are scaled to unit maximum first so FLOPs (~1e7) and constants (1) are
 * solved together stably.
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

/** The normal equations solved on the passive columns only (zero elsewhere; Gauss-Jordan), or null when singular. */
function solveOn(G: readonly (readonly number[])[], m: readonly number[], passive: ReadonlySet<number>, k: number): number[] | null {
  const cols = [...passive].sort((a, b) => a - b);
  const n = cols.length;
  const A = cols.map((a) => [...cols.map((b) => G[a]![b]!), m[a]!]);
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
  const s = new Array<number>(k).fill(0);
  cols.forEach((j, i) => (s[j] = A[i]![n]! / A[i]![i]!));
  return s;
}
