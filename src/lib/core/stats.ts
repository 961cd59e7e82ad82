/** Quantile by linear interpolation between order statistics (type 7, as numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;

/** Population standard deviation (divides by n). */
export const populationSd = (values: readonly number[]): number => {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / values.length);
};

/** Column-wise z-scores fitted on `reference` rows; a column without spread is only centred. */
export function standardiser(reference: readonly (readonly number[])[]): (row: readonly number[]) => number[] {
  const columns = (reference[0] ?? []).map((_, k) => reference.map((r) => r[k]!));
  const centre = columns.map(mean);
  const scale = columns.map((c) => populationSd(c) || 1);
  return (row) => row.map((v, k) => (v - centre[k]!) / scale[k]!);
}

/** Sample standard deviation over mean; 0 for fewer than two values. */
export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  const variance = values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / m;
}

/** Least-squares line y = a + b x through points; null with fewer than two points or no spread in x. */
export function fitLine(points: readonly (readonly [number, number])[]): { a: number; b: number } | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const vx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  if (vx <= 1e-9) return null;
  const b = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / vx;
  return { a: my - b * mx, b };
}

/** [min, max] of the values, or null for none; a loop, not Math.min(...values), which overflows the stack past ~100k values. */
export function extent(values: readonly number[]): [number, number] | null {
  if (values.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
