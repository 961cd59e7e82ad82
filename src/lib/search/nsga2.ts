import { crowdingDistance } from './crowding';
import { makeOffspring } from './offspring';
import { nonDominatedSort } from './pareto';
import { initialDesignLeft, sampleFresh, withSeen, type Algorithm, type AlgorithmParams, type SearchState } from './algorithm';
import type { Evaluated } from './space';

interface Ranked {
  readonly rank: number;
  readonly crowding: number;
}

/** Rank and crowding distance of every member (Deb et al. 2002). */
export function rankAndCrowd<G>(members: readonly Evaluated<G>[]): Ranked[] {
  const points = members.map((m) => m.objectives);
  const out: Ranked[] = new Array(members.length);
  nonDominatedSort(points).forEach((front, rank) => {
    const crowd = crowdingDistance(points, front);
    front.forEach((i, j) => (out[i] = { rank, crowding: crowd[j]! }));
  });
  return out;
}

/** Crowded-comparison: lower rank wins, then larger crowding distance. */
export const better = (a: Ranked, b: Ranked): boolean => a.rank < b.rank || (a.rank === b.rank && a.crowding > b.crowding);

/** Elitist survival: whole fronts while they fit, then the least crowded of the next front. */
export function survive<G>(members: readonly Evaluated<G>[], size: number): Evaluated<G>[] {
  const points = members.map((m) => m.objectives);
  const survivors: Evaluated<G>[] = [];
  for (const front of nonDominatedSort(points)) {
    if (survivors.length + front.length <= size) {
      survivors.push(...front.map((i) => members[i]!));
      continue;
    }
    const crowd = crowdingDistance(points, front);
    const order = front.map((_, j) => j).sort((a, b) => crowd[b]! - crowd[a]! || front[a]! - front[b]!);
    survivors.push(...order.slice(0, size - survivors.length).map((j) => members[front[j]!]!));
    break;
  }
  return survivors;
}

/** NSGA-II: binary tournament on crowded comparison, crossover + mutation, elitist (mu + lambda) survival. */
export function nsga2<G>(params: AlgorithmParams): Algorithm<G> {
  return {
    name: 'nsga2',
    ask(state, space, rng, count) {
      const design = initialDesignLeft(state, params.populationSize, count);
      if (design > 0) return sampleFresh(state, space, rng, design);
      const ranked = rankAndCrowd(state.population);
      const tournament = () => {
        const i = rng.int(0, state.population.length - 1);
        const j = rng.int(0, state.population.length - 1);
        return state.population[better(ranked[j]!, ranked[i]!) ? j : i]!.genome;
      };
      return makeOffspring(space, rng, Math.min(count, params.populationSize), state.seen, tournament);
    },
    tell(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): SearchState<G> {
      return {
        ...state,
        generation: state.generation + 1,
        population: survive([...state.population, ...evaluated], params.populationSize),
        seen: withSeen(state, evaluated),
      };
    },
  };
}
