import { deriveSeed, Rng } from '../core/rng';
import { initialState, sampleFresh, type AlgorithmName } from '../search/algorithm';
import { makeAlgorithm } from '../search/registry';
import { formatCell, nb201Space, parseCell, type Nb201Cell } from '../search/spaces/nb201';
import { HvRatio } from './hvRatio';
import { multiFidelity } from './multifidelity';
import { Oracle } from './oracle';
import type { BenchmarkTable } from './table';

export interface BenchOptions {
  readonly algorithm: AlgorithmName;
  readonly evaluations: number;
  readonly seeds: number;
  /** Share of an evaluation one low-fidelity lookup costs; null when the table has no low-fidelity column. */
  readonly lowFidelityCost: number | null;
  readonly populationSize?: number;
}

export interface BenchResult {
  readonly algorithm: AlgorithmName;
  readonly evaluations: number;
  readonly seeds: number;
  readonly hv_ratio_mean: number;
  readonly hv_ratio_std: number;
  readonly hv_ratio_per_seed: readonly number[];
  readonly multi_fidelity: boolean;
}

/** Checks that every architecture string of the table is a NAS-Bench-201 cell; the first that is not, else null. */
export function firstInvalidArch(table: BenchmarkTable): string | null {
  return table.archs.find((a) => parseCell(a) === null) ?? null;
}

/** Ours' population is its batch: batches of 3 beat 5 on the staircase costs, at twice the refits (README "Search"). */
const DEFAULT_POPULATION: Record<AlgorithmName, number> = { ours: 3, nsga2: 20, aging: 20, ga: 20, random: 20 };

/** One search on the table with a given seed; returns the HV ratio after the budget is spent. */
export function searchOnce(table: BenchmarkTable, metric: HvRatio, o: BenchOptions, seed: number): number {
  return metric.of(evaluationOrder(table, o, seed));
}

/** The rows one search looked up at full fidelity, in order. */
export function evaluationOrder(table: BenchmarkTable, o: BenchOptions, seed: number): number[] {
  const oracle = new Oracle(table, o.lowFidelityCost ?? 1);
  const rng = Rng.fromSeed(deriveSeed(seed, 0xbe4c));
  const costs = (cell: Nb201Cell) => oracle.costs(formatCell(cell));
  if (o.algorithm === 'ours' && table.lowFidelity && o.lowFidelityCost !== null) {
    multiFidelity(oracle, rng, o.evaluations);
    return oracle.evaluated;
  }
  const algorithm = makeAlgorithm(o.algorithm, o.populationSize ?? DEFAULT_POPULATION[o.algorithm], { costs, errorToPercent: 1 });
  let state = initialState<Nb201Cell>(o.algorithm);
  while (oracle.spent < o.evaluations) {
    const room = Math.floor(o.evaluations - oracle.spent);
    let asked = algorithm.ask(state, nb201Space, rng, room);
    // an algorithm that can only propose cells it has already seen gets fresh random ones instead of stalling
    if (asked.every((g) => oracle.table.rowOf.has(formatCell(g)) && state.seen.includes(formatCell(g))))
      asked = sampleFresh(state, nb201Space, rng, Math.min(room, 5));
    if (asked.length === 0) break;
    const evaluated = asked.map((genome) => {
      const arch = formatCell(genome);
      return { genome, key: arch, objectives: [100 - oracle.accuracy(arch), ...oracle.costs(arch)] };
    });
    state = algorithm.tell(state, evaluated);
  }
  return oracle.evaluated;
}

export function benchmark(table: BenchmarkTable, o: BenchOptions): BenchResult {
  const metric = new HvRatio(table);
  const perSeed = Array.from({ length: o.seeds }, (_, s) => searchOnce(table, metric, o, s + 1));
  const mean = perSeed.reduce((a, b) => a + b, 0) / perSeed.length;
  const std = Math.sqrt(perSeed.reduce((a, b) => a + (b - mean) ** 2, 0) / perSeed.length);
  return {
    algorithm: o.algorithm,
    evaluations: o.evaluations,
    seeds: o.seeds,
    hv_ratio_mean: round(mean),
    hv_ratio_std: round(std),
    hv_ratio_per_seed: perSeed.map(round),
    multi_fidelity: o.algorithm === 'ours' && table.lowFidelity !== null && o.lowFidelityCost !== null,
  };
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;
