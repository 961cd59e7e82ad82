import type { Rng } from '../core/rng';
import type { Evaluated, SearchSpace } from './space';
import { type AlgorithmName } from '../records/names';
import type { SearchState } from '../records/search';

export interface AlgorithmParams {
  readonly populationSize: number;
}

/**
 * A search algorithm as pure ask/tell over plain state (evosax style); the RNG is passed in.
 * `ask` proposes up to `count` genomes; `tell` takes them back evaluated and returns the next state. With a
 * pool of workers the loop asks for one at a time and tells one at a time (steady state): the first
 * `populationSize` asked for are the initial design, whatever has been told by then.
 */
export interface Algorithm<G> {
  readonly name: AlgorithmName;
  ask(state: SearchState<G>, space: SearchSpace<G>, rng: Rng, count: number): G[];
  tell(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): SearchState<G>;
}

export function initialState<G>(algorithm: AlgorithmName): SearchState<G> {
  return { algorithm, generation: 0, population: [], seen: [] };
}

/** Proposes `count` random genomes with unseen keys (the first generation of every algorithm). */
export function sampleFresh<G>(state: SearchState<G>, space: SearchSpace<G>, rng: Rng, count: number): G[] {
  const seen = new Set(state.seen);
  const out: G[] = [];
  for (let i = 0; i < count; i++) {
    let g = space.sample(rng);
    for (let t = 0; t < 50 && seen.has(space.key(g)); t++) g = space.sample(rng);
    seen.add(space.key(g));
    out.push(g);
  }
  return out;
}

/** How many of the initial design (the first `size` asked for) are still to be asked, at most `count`; 0 once breeding starts. */
export function initialDesignLeft<G>(state: SearchState<G>, size: number, count: number): number {
  return state.population.length === 0 ? Math.min(count, Math.max(1, size - state.seen.length)) : Math.max(0, Math.min(count, size - state.seen.length));
}

export function withSeen<G>(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): readonly string[] {
  return [...state.seen, ...evaluated.map((e) => e.key)];
}

export { ALGORITHMS, type AlgorithmName } from '../records/names';

export type { SearchState } from '../records/search';
