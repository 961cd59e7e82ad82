import type { Rng } from '../core/rng';
import type { Evaluated, SearchSpace } from './space';

export const ALGORITHMS = ['ours', 'nsga2', 'aging', 'ga', 'random'] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];

/** Plain, JSON-serialisable search state: what a snapshot in IndexedDB holds between ask and tell. */
export interface SearchState<G> {
  readonly algorithm: AlgorithmName;
  readonly generation: number;
  /** The algorithm's current parents (NSGA-II survivors, GA population). */
  readonly population: readonly Evaluated<G>[];
  /** Keys of every genome proposed so far, so nothing is trained twice. */
  readonly seen: readonly string[];
}

export interface AlgorithmParams {
  readonly populationSize: number;
}

/**
 * A search algorithm as pure ask/tell over plain state (evosax style); the RNG is passed in.
 * `ask` proposes up to `count` genomes; `tell` takes them back evaluated and returns the next state.
 */
export interface Algorithm {
  readonly name: AlgorithmName;
  ask<G>(state: SearchState<G>, space: SearchSpace<G>, rng: Rng, count: number): G[];
  tell<G>(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): SearchState<G>;
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

export function withSeen<G>(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): readonly string[] {
  return [...state.seen, ...evaluated.map((e) => e.key)];
}
