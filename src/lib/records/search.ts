import type { AlgorithmName } from './names';

/** A genome with its objective vector (all minimised). */
export interface Evaluated<G> {
  readonly genome: G;
  readonly key: string;
  readonly objectives: readonly number[];
}

/** Plain, JSON-serialisable search state: what a snapshot in IndexedDB holds between ask and tell. */
export interface SearchState<G> {
  readonly algorithm: AlgorithmName;
  readonly generation: number;
  /** The algorithm's current parents (NSGA-II survivors, GA population). */
  readonly population: readonly Evaluated<G>[];
  /**
   * Keys of every genome told so far, so nothing is trained twice. The run loop adds the keys of candidates
   * still in flight when it asks, so `seen.length` is then how many have been asked for.
   */
  readonly seen: readonly string[];
}
