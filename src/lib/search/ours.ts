import type { Rng } from '../core/rng';
import { standardiser } from '../core/stats';
import { expectedHvBatch } from './acquisition';
import { sampleFresh, withSeen, type Algorithm, type AlgorithmParams, type SearchState } from './algorithm';
import { fitEnsemble, predictEnsemble } from './ensemble';
import type { MlpOptions } from './mlp';
import { makeOffspring } from './offspring';
import { dominates } from './pareto';
import type { Evaluated, SearchSpace } from './space';

export interface OursParams<G> extends AlgorithmParams {
  /** Objectives 2..m of a genome, known without training (costs: analytic or predicted). Objective 1 is error. */
  readonly costs: (genome: G) => readonly number[];
  /** Error of objective 1 in percent per unit (100 when error is a fraction, 1 when already in %). */
  readonly errorToPercent: number;
  /** Offspring proposed per evaluation slot; only the most promising are trained. */
  readonly offspringPerSlot: number;
  /** The accuracy surrogate: networks in the ensemble and how each is fitted. */
  readonly surrogate: { readonly members: number; readonly mlp: MlpOptions };
  /** How far the error scenarios reach, in ensemble standard deviations per standard normal quantile. */
  readonly spread: number;
}

const errorTarget = (errorPercent: number): number => -Math.log(Math.max(0, errorPercent) + 0.5);
const targetError = (t: number): number => Math.exp(-t) - 0.5;
/** Eight equally likely standard normal quantiles (octile midpoints). */
const QUANTILES = [-1.53, -0.89, -0.49, -0.16, 0.16, 0.49, 0.89, 1.53];
/** Random mutations per front member when a space cannot list its neighbours. */
const MUTATIONS_PER_MEMBER = 24;

/** Cost columns standardised on the evaluated set's costs, then the space's own encoding. */
function featureRows<G>(
  genomes: readonly G[],
  costRows: readonly (readonly number[])[],
  encode: (g: G) => number[],
  reference: readonly (readonly number[])[],
): number[][] {
  const z = standardiser(reference);
  return genomes.map((g, i) => [...z(costRows[i]!), ...encode(g)]);
}

/**
 * The initial design: `n` fresh genomes spread evenly along the first free cost of a large random sample, at
 * positions `offset`, `offset + 1`... of `of` evenly spaced ones (a pool asking one at a time still spreads).
 */
function spreadByCost<G>(state: SearchState<G>, space: SearchSpace<G>, rng: Rng, n: number, costs: (g: G) => readonly number[], offset = 0, of = n): G[] {
  const pool = sampleFresh(state, space, rng, 30 * of).sort((a, b) => costs(a)[0]! - costs(b)[0]!);
  return Array.from({ length: n }, (_, i) => pool[Math.round((((offset + i) % of) * (pool.length - 1)) / Math.max(1, of - 1))]!);
}

/** Offspring of the best-ranked members, plus every neighbour of each non-dominated member; all unseen, no repeats. */
function candidates<G>(state: SearchState<G>, space: SearchSpace<G>, rng: Rng, params: OursParams<G>, ranked: readonly Ranked<G>[]): G[] {
  const batch = params.populationSize;
  const parents = ranked.slice(0, batch).map((r) => r.member.genome);
  const pool = makeOffspring(space, rng, params.offspringPerSlot * batch, state.seen, () => rng.pick(parents), 0.5);
  for (const { member, dominatedBy } of ranked) {
    if (dominatedBy > 0) break;
    pool.push(...(space.neighbours?.(member.genome) ?? Array.from({ length: MUTATIONS_PER_MEMBER }, () => space.mutate(member.genome, rng))));
  }
  const taken = new Set(state.seen);
  return pool.filter((g) => {
    const key = space.key(g);
    return !taken.has(key) && taken.add(key);
  });
}

/**
 * Our algorithm (see README "Search"): evolution whose candidates are screened before any training. Costs are
 * free, so many candidates are proposed (offspring of the best, and every neighbour of the front); an ensemble
 * of small networks trained on every evaluation so far predicts their error with its uncertainty; the batch
 * with the most expected hypervolume gain is trained (LEMONADE's "fill the gaps of the cheap front" with a
 * learned accuracy model, BANANAS' ensemble).
 */
export function ours<G>(params: OursParams<G>): Algorithm<G> {
  const batch = params.populationSize;
  return {
    name: 'ours',
    ask(state: SearchState<G>, space: SearchSpace<G>, rng: Rng, count: number): G[] {
      const { costs } = params;
      const archive = state.population;
      const design = 2 * batch;
      if (archive.length < design) {
        const n = Math.min(count, design - archive.length);
        // asked one at a time, the design's position is how many have been asked for (in flight included)
        return spreadByCost(state, space, rng, n, costs, state.seen.length, Math.max(n, design));
      }
      if (!space.features) return spreadByCost(state, space, rng, Math.min(count, batch), costs);
      const encode = space.features.bind(space);
      const pool = candidates(state, space, rng, params, byDominationCount(archive));
      if (pool.length === 0) return sampleFresh(state, space, rng, Math.min(count, batch));
      const usable = archive.filter((e) => Number.isFinite(e.objectives[0]));
      const genomes = usable.map((e) => e.genome);
      const knownCosts = genomes.map(costs);
      // a space's costs may be a cost-model prediction: once per genome
      const poolCosts = pool.map(costs);
      const targets = usable.map((e) => errorTarget(e.objectives[0]! * params.errorToPercent));
      const model = fitEnsemble(featureRows(genomes, knownCosts, encode, knownCosts), targets, rng, params.surrogate.members, params.surrogate.mlp);
      const predicted = predictEnsemble(model, featureRows(pool, poolCosts, encode, knownCosts));
      const toError = (t: number) => targetError(t) / params.errorToPercent;
      const scenarios = pool.map((_, i) => {
        const { mean, sd } = predicted[i]!;
        return { believed: [toError(mean), ...poolCosts[i]!], outcomes: QUANTILES.map((z) => [toError(mean + params.spread * sd * z), ...poolCosts[i]!]) };
      });
      const picks = expectedHvBatch(
        archive.map((e) => e.objectives),
        scenarios,
        Math.min(count, batch),
      );
      // nothing expected to add volume: train the candidates predicted most accurate
      const rest = pool
        .map((_, i) => i)
        .filter((i) => !picks.includes(i))
        .sort((a, b) => predicted[b]!.mean - predicted[a]!.mean);
      return [...picks, ...rest].slice(0, Math.min(count, batch)).map((i) => pool[i]!);
    },
    tell(state: SearchState<G>, evaluated: readonly Evaluated<G>[]): SearchState<G> {
      return { ...state, generation: state.generation + 1, population: [...state.population, ...evaluated], seen: withSeen(state, evaluated) };
    },
  };
}

interface Ranked<G> {
  readonly member: Evaluated<G>;
  readonly dominatedBy: number;
}

/** Members ordered by how many others dominate them (0 first), ties by age. */
function byDominationCount<G>(members: readonly Evaluated<G>[]): Ranked<G>[] {
  return members
    .map((member) => ({ member, dominatedBy: members.filter((b) => b !== member && dominates(b.objectives, member.objectives)).length }))
    .sort((a, b) => a.dominatedBy - b.dominatedBy);
}
