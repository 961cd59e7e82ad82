import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { initialState, type Algorithm, type SearchState } from '../../src/lib/search/algorithm';
import { hypervolume, normalize } from '../../src/lib/search/hypervolume';
import { survive } from '../../src/lib/search/nsga2';
import { makeAlgorithm } from '../../src/lib/search/registry';
import type { Evaluated, SearchSpace } from '../../src/lib/search/space';

/** A toy space: vectors of 8 integers 0..31, the shape of a discrete NAS gene string. */
const toySpace: SearchSpace<number[]> = {
  sample: (rng) => Array.from({ length: 8 }, () => rng.int(0, 31)),
  mutate: (g, rng) => {
    const c = g.slice();
    const i = rng.int(0, c.length - 1);
    c[i] = Math.min(31, Math.max(0, c[i]! + (rng.bool() ? 1 : -1) * rng.int(1, 4)));
    return c;
  },
  crossover: (a, b, rng) => a.map((v, i) => (rng.bool() ? v : b[i]!)),
  key: (g) => g.join(','),
};

/** ZDT1 on the toy genes: a convex front where f2 = 1 - sqrt(f1) once genes 1..7 are 0. */
function zdt1(g: readonly number[]): number[] {
  const x = g.map((v) => v / 31);
  const f1 = x[0]!;
  const h = 1 + (9 * x.slice(1).reduce((s, v) => s + v, 0)) / (x.length - 1);
  return [f1, h * (1 - Math.sqrt(f1 / h))];
}

function runToy(algorithm: Algorithm<number[]>, evaluations: number, seed: number, objectives = zdt1): Evaluated<number[]>[] {
  const rng = Rng.fromSeed(seed);
  let state: SearchState<number[]> = initialState(algorithm.name);
  const all: Evaluated<number[]>[] = [];
  while (all.length < evaluations) {
    const batch = algorithm
      .ask(state, toySpace, rng, evaluations - all.length)
      .map((genome) => ({ genome, key: toySpace.key(genome), objectives: objectives(genome) }));
    all.push(...batch);
    state = algorithm.tell(state, batch);
  }
  return all;
}

describe('NSGA-II', () => {
  it('keeps whole fronts, then the least crowded of the next', () => {
    const members = [
      [1, 5],
      [5, 1],
      [3, 3],
      [2, 6],
      [4, 4],
      [6, 2],
      [9, 9],
    ].map((objectives, i) => ({ genome: i, key: String(i), objectives }));
    const kept = survive(members, 5).map((m) => m.genome);
    expect(kept.slice(0, 3).sort()).toEqual([0, 1, 2]);
    // second front (2,6) (4,4) (6,2): its two boundary points have infinite crowding and win
    expect(kept.slice(3).sort()).toEqual([3, 5]);
  });

  it('makes the same decisions from the same seed', () => {
    const a = runToy(makeAlgorithm('nsga2', 10), 60, 4).map((e) => e.key);
    const b = runToy(makeAlgorithm('nsga2', 10), 60, 4).map((e) => e.key);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(60);
  });

  it('beats random search on ZDT1 with the same number of evaluations (10 seeds)', () => {
    const hv = (all: Evaluated<number[]>[]) => {
      const points = all.map((e) => e.objectives);
      return hypervolume(normalize(points, { ideal: [0, 0], nadir: [1, 10] }), [1.1, 1.1]);
    };
    let wins = 0;
    for (let seed = 1; seed <= 10; seed++) {
      if (hv(runToy(makeAlgorithm('nsga2', 20), 300, seed)) > hv(runToy(makeAlgorithm('random', 20), 300, seed))) wins++;
    }
    expect(wins).toBeGreaterThanOrEqual(9);
  });
});

describe('single-objective GA', () => {
  it('never loses its best individual (elitism) and improves the objective', () => {
    const sum = (g: readonly number[]) => [g.reduce((s, v) => s + v, 0)];
    const algorithm = makeAlgorithm<number[]>('ga', 10);
    const rng = Rng.fromSeed(2);
    let state: SearchState<number[]> = initialState('ga');
    let best = Infinity;
    for (let generation = 0; generation < 15; generation++) {
      const batch = algorithm.ask(state, toySpace, rng, 100).map((genome) => ({ genome, key: toySpace.key(genome), objectives: sum(genome) }));
      state = algorithm.tell(state, batch);
      const popBest = Math.min(...state.population.map((e) => e.objectives[0]!));
      expect(popBest).toBeLessThanOrEqual(best);
      best = popBest;
    }
    expect(best).toBeLessThan(40); // random 8 x U(0..31) sums ~124
  });
});
