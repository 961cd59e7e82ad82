import type { Rng } from '../core/rng';
import type { SearchSpace } from './space';

/**
 * Variation shared by the evolutionary algorithms: crossover of two selected parents with probability
 * `crossoverRate`, then one mutation; retried until the child's key is new.
 */
export function makeOffspring<G>(space: SearchSpace<G>, rng: Rng, count: number, seenKeys: readonly string[], selectParent: () => G, crossoverRate = 0.9): G[] {
  const seen = new Set(seenKeys);
  const out: G[] = [];
  for (let i = 0; i < count; i++) {
    let child = breed();
    for (let t = 0; t < 50 && seen.has(space.key(child)); t++) child = breed();
    seen.add(space.key(child));
    out.push(child);
  }
  return out;

  function breed(): G {
    const a = selectParent();
    const base = rng.bool(crossoverRate) ? space.crossover(a, selectParent(), rng) : a;
    return space.mutate(base, rng);
  }
}
