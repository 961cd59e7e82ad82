import type { Rng } from '../core/rng';

/** What an algorithm needs from a search space; algorithms know nothing else about genomes. */
export interface SearchSpace<G> {
  sample(rng: Rng): G;
  mutate(genome: G, rng: Rng): G;
  crossover(a: G, b: G, rng: Rng): G;
  /** Equal keys mean the same architecture and training genes; used to avoid evaluating twice. */
  key(genome: G): string;
  /** Every genome one edit away, where the space can list them; algorithms fall back to random mutations. */
  neighbours?(genome: G): G[];
  /** A numeric encoding for surrogate models (e.g. one-hot genes); spaces without one cannot use them. */
  features?(genome: G): number[];
}

export type { Evaluated } from '../records/search';
