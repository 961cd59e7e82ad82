import type { SearchSpace } from './space';

/**
 * A space whose proposals respect a budget before any training is spent: each proposal is redrawn until
 * `violation` is 0 (up to `tries` times); if none fits, the least violating draw is kept, so the search
 * never stalls. `violation` is 0 when within budget and grows with the excess. Every other member of the
 * space (features, neighbours...) is kept: a surrogate-driven algorithm must not lose its encoding here.
 */
export function constrainedSpace<G>(space: SearchSpace<G>, violation: (g: G) => number, tries = 30): SearchSpace<G> {
  const fit = (make: () => G): G => {
    let best = make();
    let bestV = violation(best);
    for (let i = 1; i < tries && bestV > 0; i++) {
      const g = make();
      const v = violation(g);
      if (v < bestV) [best, bestV] = [g, v];
    }
    return best;
  };
  const neighbours = space.neighbours?.bind(space);
  return {
    ...space,
    sample: (rng) => fit(() => space.sample(rng)),
    mutate: (g, rng) => fit(() => space.mutate(g, rng)),
    crossover: (a, b, rng) => fit(() => space.crossover(a, b, rng)),
    // the neighbours within budget: listing them is the point, so none is redrawn
    ...(neighbours ? { neighbours: (g: G) => neighbours(g).filter((n) => violation(n) === 0) } : {}),
  };
}
