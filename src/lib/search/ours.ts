import type { Rng } from '../core/rng';
import { greedyHvBatch } from './acquisition';
import { sampleFresh, withSeen, type Algorithm, type AlgorithmParams, type SearchState } from './algorithm';
import { makeOffspring } from './offspring';
import type { Evaluated, SearchSpace } from './space';
import { fitRidge, predictRidge } from './surrogate';

export interface OursParams extends AlgorithmParams {
  /** Objectives 2..m of a genome, known without training (costs: analytic or predicted). Objective 1 is error. */
  readonly costs: (genome: never) => readonly number[];
  /** Error of objective 1 in percent per unit (100 when error is a fraction, 1 when already in %). */
  readonly errorToPercent: number;
  /** Offspring proposed per evaluation slot; only the most promising are trained. */
  readonly offspringPerSlot: number;
  readonly ridge: number;
}

const errorTarget = (errorPercent: number): number => -Math.log(Math.max(0, errorPercent) + 0.5);
const targetError = (t: number): number => Math.exp(-t) - 0.5;

/** Cost columns standardised on the evaluated set, with squares, then the space's own encoding. */
function featureRows<G>(genomes: readonly G[], costs: (g: G) => readonly number[], encode: (g: G) => number[], reference: readonly G[]): number[][] {
  const ref = reference.map(costs);
  const m = ref[0]?.length ?? 0;
  const mean = Array.from({ length: m }, (_, k) => ref.reduce((s, c) => s + c[k]!, 0) / ref.length);
  const sd = Array.from({ length: m }, (_, k) => Math.sqrt(ref.reduce((s, c) => s + (c[k]! - mean[k]!) ** 2, 0) / ref.length) || 1);
  return genomes.map((g) => {
    const z = costs(g).map((v, k) => (v - mean[k]!) / sd[k]!);
    return [...z, ...z.map((v) => v * v), ...encode(g)];
  });
}

/** The initial design: `n` fresh genomes spread evenly along the first free cost of a large random sample. */
function spreadByCost<G>(state: SearchState<G>, space: SearchSpace<G>, rng: Rng, n: number, costs: (g: G) => readonly number[]): G[] {
  const pool = sampleFresh(state, space, rng, 30 * n).sort((a, b) => costs(a)[0]! - costs(b)[0]!);
  return Array.from({ length: n }, (_, i) => pool[Math.round((i * (pool.length - 1)) / Math.max(1, n - 1))]!);
}

/**
 * Our algorithm (see README "Search"): evolution whose offspring are screened before any training. Costs are
 * free, so many offspring are proposed; a ridge surrogate trained on every evaluation so far predicts their
 * error from their costs and genes; the batch that adds most predicted hypervolume is trained (LEMONADE's
 * "fill the gaps of the cheap front" with a learned accuracy model).
 */
export function ours(params: OursParams): Algorithm {
  const batch = params.populationSize;
  return {
    name: 'ours',
    ask<G>(state: SearchState<G>, space: SearchSpace<G>, rng: Rng, count: number): G[] {
      const costs = params.costs as (g: G) => readonly number[];
      const archive = state.population;
      if (archive.length < 2 * batch || !space.features) return spreadByCost(state, space, rng, Math.min(count, 2 * batch - archive.length || batch), costs);
      const encode = space.features.bind(space);
      const usable = archive.filter((e) => Number.isFinite(e.objectives[0]));
      const genomes = usable.map((e) => e.genome);
      const model = fitRidge(featureRows(genomes, costs, encode, genomes), usable.map((e) => errorTarget(e.objectives[0]! * params.errorToPercent)), params.ridge);
      const parents = byDominationCount(archive).slice(0, batch);
      const seen = new Set(state.seen);
      const offspring = makeOffspring(space, rng, params.offspringPerSlot * batch, state.seen, () => rng.pick(parents).genome, 0.5).filter((g) => !seen.has(space.key(g)));
      if (offspring.length === 0) return sampleFresh(state, space, rng, Math.min(count, batch));
      if (!model) return offspring.slice(0, Math.min(count, batch));
      const rows = featureRows(offspring, costs, encode, genomes);
      const predicted = offspring.map((g, i) => [targetError(predictRidge(model, rows[i]!)) / params.errorToPercent, ...costs(g)]);
      const picks = greedyHvBatch(archive.map((e) => e.objectives), predicted, Math.min(count, batch));
      // nothing predicted to add volume: train the offspring predicted most accurate
      const rest = offspring.map((_, i) => i).filter((i) => !picks.includes(i)).sort((a, b) => predicted[a]![0]! - predicted[b]![0]!);
      return [...picks, ...rest].slice(0, Math.min(count, batch)).map((i) => offspring[i]!);
    },
    tell<G>(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): SearchState<G> {
      return { ...state, generation: state.generation + 1, population: [...state.population, ...evaluated], seen: withSeen(state, evaluated) };
    },
  };
}

/** Members ordered by how many others dominate them (0 first), ties by age. */
function byDominationCount<G>(members: readonly Evaluated<G>[]): Evaluated<G>[] {
  const count = members.map((a) => members.filter((b) => b !== a && b.objectives.every((v, k) => v <= a.objectives[k]!) && b.objectives.some((v, k) => v < a.objectives[k]!)).length);
  return members.map((m, i) => [m, count[i]!] as const).sort((a, b) => a[1] - b[1]).map(([m]) => m);
}
