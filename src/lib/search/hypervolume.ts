import { dominates, paretoFront, samePoint } from './pareto';

/**
 * Exact hypervolume dominated by `points` (minimisation) up to `ref`, by slicing along the last objective
 * (HSO; the 2-D and 3-D cases are sweeps). Points not strictly better than `ref` in every objective add nothing.
 * O(n^2) in 3-D for n points on the front.
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
  if (m === 3) return hv3(points, ref);
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

/**
 * 3-D case as a sweep along z over a 2-D staircase kept sorted by x (y falling): each point is inserted once and
 * the area re-summed, O(n^2) with no allocation per slab, where slicing into 2-D sub-problems costs O(n^3).
 */
function hv3(points: readonly (readonly number[])[], ref: readonly number[]): number {
  const sorted = points.slice().sort((a, b) => a[2]! - b[2]!);
  const xs: number[] = [];
  const ys: number[] = [];
  let area = 0;
  let volume = 0;
  for (let i = 0; i < sorted.length; i++) {
    const [x, y, z] = sorted[i]! as [number, number, number];
    // first staircase step with x > the new point's; the step before it (if any) is the one that may dominate
    let at = 0;
    while (at < xs.length && xs[at]! <= x) at++;
    if (!(at > 0 && ys[at - 1]! <= y)) {
      const from = at > 0 && xs[at - 1] === x ? at - 1 : at; // a step at the same x but higher is dominated too
      let end = at;
      while (end < xs.length && ys[end]! >= y) end++; // steps the new point dominates
      xs.splice(from, end - from, x);
      ys.splice(from, end - from, y);
      area = 0;
      for (let k = 0; k < xs.length; k++) area += ((k + 1 < xs.length ? xs[k + 1]! : ref[0]!) - xs[k]!) * (ref[1]! - ys[k]!);
    }
    const zNext = i + 1 < sorted.length ? sorted[i + 1]![2]! : ref[2]!;
    volume += area * (zNext - z);
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
  const trace = new FrontTrace(refValue, bounds);
  trace.add(points);
  return [...trace.history];
}

/**
 * The front and the hypervolume after each point, kept up to date one point at a time: the hypervolume is
 * recomputed only when a point enters the front, and the whole history only when a point widens the bounds
 * (rarely, after the first few). Dominance does not depend on the normalisation, so the front never needs redoing.
 */
export class FrontTrace {
  readonly #points: (readonly number[])[] = [];
  /** Indices into the points, in the order they entered. */
  #front: number[] = [];
  #history: number[] = [];
  #bounds: Bounds;
  readonly #ref: number;
  readonly #fixedBounds: boolean;

  /** With `bounds`, the normalisation is fixed; without, it follows the points added so far. */
  constructor(refValue = 1.1, bounds?: Bounds) {
    this.#ref = refValue;
    this.#fixedBounds = bounds !== undefined;
    this.#bounds = bounds ?? { ideal: [], nadir: [] };
  }

  get front(): readonly number[] {
    return this.#front;
  }

  get history(): readonly number[] {
    return this.#history;
  }

  /** Adds points in order; many at once cost one replay at most, however many of them widen the bounds. */
  add(points: readonly (readonly number[])[]): void {
    const first = this.#points.length;
    for (const p of points) this.#points.push(p);
    if (!this.#fixedBounds && points.some((p) => widens(this.#bounds, p))) {
      this.#bounds = boundsOf(this.#points);
      this.#replay();
    } else for (let i = first; i < this.#points.length; i++) this.#step(i);
  }

  #replay(): void {
    this.#front = [];
    this.#history = [];
    for (let i = 0; i < this.#points.length; i++) this.#step(i);
  }

  #step(i: number): void {
    const p = this.#points[i]!;
    const last = this.#history.at(-1) ?? 0;
    const enters = p.every(Number.isFinite) && !this.#front.some((j) => dominates(this.#points[j]!, p) || samePoint(this.#points[j]!, p));
    if (!enters) {
      this.#history.push(last);
      return;
    }
    this.#front = [...this.#front.filter((j) => !dominates(p, this.#points[j]!)), i];
    const ref = new Array<number>(p.length).fill(this.#ref);
    this.#history.push(
      hypervolume(
        normalize(
          this.#front.map((j) => this.#points[j]!),
          this.#bounds,
        ),
        ref,
      ),
    );
  }
}

/** Whether a finite value of `point` lies outside `bounds` (or there are no bounds yet). */
function widens({ ideal, nadir }: Bounds, point: readonly number[]): boolean {
  if (ideal.length !== point.length) return true;
  return point.some((v, k) => Number.isFinite(v) && (v < ideal[k]! || v > nadir[k]!));
}
