import { paretoFront } from './pareto';

/**
 * Exact hypervolume dominated by `points` (minimisation) up to `ref`, by slicing along the last objective
 * (HSO; 2-D base case is a sweep). Points not strictly better than `ref` in every objective add nothing.
 * Fine for the few hundred points of a browser search: O(n^2 log n) in 3-D.
 */
export function hypervolume(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const inside = points.filter((p) => p.every((v, i) => v < ref[i]!));
  if (inside.length === 0) return 0;
  const front = paretoFront(inside).map((i) => inside[i]!);
  return hv(front, ref);
}

function hv(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const m = ref.length;
  if (points.length === 0) return 0;
  if (m === 1) return ref[0]! - Math.min(...points.map((p) => p[0]!));
  if (m === 2) {
    const sorted = points.slice().sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let area = 0;
    let bestY = ref[1]!;
    for (const [x, y] of sorted) {
      if (y! < bestY) {
        area += (ref[0]! - x!) * (bestY - y!);
        bestY = y!;
      }
    }
    return area;
  }
  const sorted = points.slice().sort((a, b) => a[m - 1]! - b[m - 1]!);
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const z = sorted[i]![m - 1]!;
    const zNext = i + 1 < sorted.length ? sorted[i + 1]![m - 1]! : ref[m - 1]!;
    if (zNext > z) {
      const slab = sorted.slice(0, i + 1).map((p) => p.slice(0, m - 1));
      volume += hypervolume(slab, ref.slice(0, m - 1)) * (zNext - z);
    }
  }
  return volume;
}

export interface Bounds {
  readonly ideal: readonly number[];
  readonly nadir: readonly number[];
}

/** Per-objective min and max over finite values; ideal = nadir where an objective is constant. */
export function boundsOf(points: readonly (readonly number[])[]): Bounds {
  const m = points[0]?.length ?? 0;
  const ideal = new Array<number>(m).fill(Infinity);
  const nadir = new Array<number>(m).fill(-Infinity);
  for (const p of points) {
    p.forEach((v, k) => {
      if (!Number.isFinite(v)) return;
      ideal[k] = Math.min(ideal[k]!, v);
      nadir[k] = Math.max(nadir[k]!, v);
    });
  }
  return { ideal, nadir };
}

/** (v - ideal) / (nadir - ideal) per objective; a constant objective maps to 0. */
export function normalize(points: readonly (readonly number[])[], { ideal, nadir }: Bounds): number[][] {
  return points.map((p) =>
    p.map((v, k) => {
      const span = nadir[k]! - ideal[k]!;
      return span > 0 ? (v - ideal[k]!) / span : 0;
    }),
  );
}

/**
 * Hypervolume after each evaluation, in one fixed normalisation (`bounds`, reference point `refValue` in every
 * normalised objective), so the curve only ever rises.
 */
export function hypervolumeHistory(points: readonly (readonly number[])[], bounds: Bounds, refValue = 1.1): number[] {
  const normalized = normalize(points, bounds);
  const ref = new Array<number>(bounds.ideal.length).fill(refValue);
  const history: number[] = [];
  let front: number[][] = [];
  for (const p of normalized) {
    if (p.every(Number.isFinite)) front = paretoFront([...front, p]).map((i) => [...front, p][i]!);
    history.push(hypervolume(front, ref));
  }
  return history;
}
