import { canonicalJson } from '../../core/json';
import type { SearchSpace } from '../space';
import { crossoverGenomes } from '../../genome/crossover';
import { mutateGenome } from '../../genome/mutate';
import { sampleGenome } from '../../genome/sample';
import { genomeFeatures } from '../../genome/features';
import type { CnnGenome, SpaceLimits } from '../../genome/types';

/** The CNN genome as a search space for the generic algorithms. */
export function cnnSpace(limits: SpaceLimits): SearchSpace<CnnGenome> {
  return {
    sample: (rng) => sampleGenome(limits, rng),
    mutate: (g, rng) => mutateGenome(g, limits, rng),
    crossover: (a, b, rng) => crossoverGenomes(a, b, limits, rng),
    key: (g) => canonicalJson(g),
    features: (g) => genomeFeatures(g, limits),
  };
}
