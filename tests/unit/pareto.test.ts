import { describe, expect, it } from 'vitest';
import { crowdingDistance } from '../../src/lib/search/crowding';
import { boundsOf, hypervolume, hypervolumeHistory, normalize } from '../../src/lib/search/hypervolume';
import { dominates, nonDominatedSort, paretoFront } from '../../src/lib/search/pareto';

describe('Pareto sorting', () => {
  it('decides dominance for minimisation', () => {
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
  });

  it('sorts hand-made points into their fronts', () => {
    const points = [
      [1, 5],
      [2, 3],
      [4, 1],
      [3, 4],
      [5, 5],
      [2, 6],
      [6, 6],
      [2, 3],
    ];
    // front 0: (1,5) (2,3) (4,1) and the duplicate (2,3); front 1: (3,4) (2,6); front 2: (5,5); front 3: (6,6)
    expect(nonDominatedSort(points)).toEqual([[0, 1, 2, 7], [3, 5], [4], [6]]);
    expect(
      paretoFront([
        [3, 3, 3],
        [1, 4, 4],
        [4, 4, 1],
        [4, 4, 4],
      ]),
    ).toEqual([0, 1, 2]);
  });

  it('puts failed (infinite) points behind every finite one', () => {
    expect(
      nonDominatedSort([
        [Infinity, Infinity],
        [5, 5],
        [1, 9],
      ]),
    ).toEqual([[1, 2], [0]]);
  });

  it('gives boundary points infinite crowding and interior points their normalised gaps', () => {
    const points = [
      [0, 4],
      [1, 2],
      [3, 1],
      [4, 0],
    ];
    const d = crowdingDistance(points, [0, 1, 2, 3]);
    expect(d[0]).toBe(Infinity);
    expect(d[3]).toBe(Infinity);
    expect(d[1]).toBeCloseTo((3 - 0) / 4 + (4 - 1) / 4);
    expect(d[2]).toBeCloseTo((4 - 1) / 4 + (2 - 0) / 4);
  });
});

describe('hypervolume', () => {
  it('is exact on hand-computed 2-D fronts', () => {
    expect(hypervolume([[1, 1]], [2, 2])).toBe(1);
    // staircase (1,3) (2,2) (3,1) to (4,4): 3x1 + 2x1 + 1x1 = 6
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
        ],
        [4, 4],
      ),
    ).toBe(6);
    // dominated and out-of-box points add nothing
    expect(
      hypervolume(
        [
          [1, 3],
          [2, 2],
          [3, 1],
          [3, 3],
          [5, 0],
        ],
        [4, 4],
      ),
    ).toBe(6);
  });

  it('is exact on hand-computed 3-D fronts', () => {
    expect(hypervolume([[0, 0, 0]], [1, 1, 1])).toBe(1);
    // two boxes 2x1x1 and 1x2x1 overlapping in 1x1x1, plus the slab above: union 3
    expect(
      hypervolume(
        [
          [0, 1, 0],
          [1, 0, 0],
        ],
        [2, 2, 1],
      ),
    ).toBe(3);
    // (0,0,1) covers 2x2x1 = 4 at z in [1,2]; (1,1,0) covers 1x1x2 = 2 with 1 shared => 5
    expect(
      hypervolume(
        [
          [0, 0, 1],
          [1, 1, 0],
        ],
        [2, 2, 2],
      ),
    ).toBe(5);
  });

  it('matches inclusion-exclusion on random 3-D points', () => {
    const points = [
      [0.2, 0.7, 0.4],
      [0.5, 0.1, 0.6],
      [0.8, 0.4, 0.1],
    ];
    const ref = [1, 1, 1];
    const box = (p: number[]) => p.reduce((v, x, i) => v * (ref[i]! - x), 1);
    const meet = (...ps: number[][]) => ps[0]!.map((_, i) => Math.max(...ps.map((p) => p[i]!)));
    const [a, b, c] = points as [number[], number[], number[]];
    const exact = box(a) + box(b) + box(c) - box(meet(a, b)) - box(meet(a, c)) - box(meet(b, c)) + box(meet(a, b, c));
    expect(hypervolume(points, ref)).toBeCloseTo(exact, 12);
  });

  it('normalises by ideal and nadir and only rises over evaluations', () => {
    const points = [
      [10, 100],
      [5, 300],
      [20, 50],
      [12, 120],
      [2, 500],
    ];
    const bounds = boundsOf(points);
    expect(bounds).toEqual({ ideal: [2, 50], nadir: [20, 500] });
    expect(
      normalize(
        [
          [2, 50],
          [20, 500],
        ],
        bounds,
      ),
    ).toEqual([
      [0, 0],
      [1, 1],
    ]);
    const curve = hypervolumeHistory(points, bounds);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!).toBeGreaterThanOrEqual(curve[i - 1]!);
    expect(curve[3]).toBe(curve[2]); // (12, 120) is dominated by (10, 100)
  });
});
