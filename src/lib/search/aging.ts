import { initialDesignLeft, sampleFresh, withSeen, type Algorithm, type AlgorithmParams, type SearchState } from './algorithm';
import { better, rankAndCrowd } from './nsga2';
import type { Evaluated } from './space';

export interface AgingParams extends AlgorithmParams {
  /** Members drawn for each tournament. */
  readonly sampleSize: number;
}

/**
 * Aging (regularized) evolution (Real et al. 2019), multi-objective: the parent is the best of a random
 * sample by crowded comparison (rank, then crowding), its child is mutated only, and the oldest member dies.
 * The population is kept in age order, oldest first.
 */
export function agingEvolution<G>(params: AgingParams): Algorithm<G> {
  return {
    name: 'aging',
    ask(state, space, rng, count) {
      const design = initialDesignLeft(state, params.populationSize, count);
      if (design > 0) return sampleFresh(state, space, rng, design);
      const ranked = rankAndCrowd(state.population);
      const seen = new Set(state.seen);
      const out = [];
      for (let i = 0; i < Math.min(count, Math.max(1, Math.floor(params.populationSize / 4))); i++) {
        let best = rng.int(0, state.population.length - 1);
        for (let k = 1; k < params.sampleSize; k++) {
          const j = rng.int(0, state.population.length - 1);
          if (better(ranked[j]!, ranked[best]!)) best = j;
        }
        let child = space.mutate(state.population[best]!.genome, rng);
        for (let t = 0; t < 50 && seen.has(space.key(child)); t++) child = space.mutate(state.population[best]!.genome, rng);
        seen.add(space.key(child));
        out.push(child);
      }
      return out;
    },
    tell(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): SearchState<G> {
      const population = [...state.population, ...evaluated];
      return {
        ...state,
        generation: state.generation + 1,
        population: population.slice(Math.max(0, population.length - params.populationSize)),
        seen: withSeen(state, evaluated),
      };
    },
  };
}
