import { makeOffspring } from './offspring';
import { initialDesignLeft, sampleFresh, withSeen, type Algorithm, type AlgorithmParams, type SearchState } from './algorithm';
import type { Evaluated } from './space';

export interface GaParams extends AlgorithmParams {
  readonly tournamentSize: number;
  readonly elites: number;
}

const fitness = <G>(e: Evaluated<G>): number => e.objectives[0]!;
const byFitness = <G>(a: Evaluated<G>, b: Evaluated<G>): number => fitness(a) - fitness(b);

/**
 * Single-objective generational GA in the style of MENNDL: tournament selection, crossover + mutation,
 * elitism. Optimises the first objective only (validation error); other objectives are ignored.
 */
export function geneticAlgorithm<G>(params: GaParams): Algorithm<G> {
  return {
    name: 'ga',
    ask(state, space, rng, count) {
      const design = initialDesignLeft(state, params.populationSize, count);
      if (design > 0) return sampleFresh(state, space, rng, design);
      const tournament = () => {
        let best = state.population[rng.int(0, state.population.length - 1)]!;
        for (let i = 1; i < params.tournamentSize; i++) {
          const rival = state.population[rng.int(0, state.population.length - 1)]!;
          if (fitness(rival) < fitness(best)) best = rival;
        }
        return best.genome;
      };
      const children = Math.max(1, params.populationSize - params.elites);
      return makeOffspring(space, rng, Math.min(count, children), state.seen, tournament, 0.5);
    },
    tell(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): SearchState<G> {
      const elites = state.population.slice().sort(byFitness).slice(0, params.elites);
      const population = [...elites, ...evaluated].sort(byFitness).slice(0, params.populationSize);
      return { ...state, generation: state.generation + 1, population, seen: withSeen(state, evaluated) };
    },
  };
}
