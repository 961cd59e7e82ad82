import { sampleFresh, withSeen, type Algorithm, type AlgorithmParams, type SearchState } from './algorithm';
import type { Evaluated } from './space';

/** Random search: the baseline every other algorithm must beat; its "population" is everything seen. */
export function randomSearch<G>(params: AlgorithmParams): Algorithm<G> {
  return {
    name: 'random',
    ask: (state, space, rng, count) => sampleFresh(state, space, rng, Math.min(count, params.populationSize)),
    tell(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): SearchState<G> {
      return { ...state, generation: state.generation + 1, population: [], seen: withSeen(state, evaluated) };
    },
  };
}
