import { assertNever } from '../core/assert';
import type { Algorithm, AlgorithmName } from './algorithm';
import { agingEvolution } from './aging';
import { geneticAlgorithm } from './ga';
import { nsga2 } from './nsga2';
import { ours } from './ours';
import { randomSearch } from './random';

export const ALGORITHM_LABELS: Record<AlgorithmName, string> = {
  ours: 'Cost-screened evolution (ours)',
  nsga2: 'NSGA-II (multi-objective)',
  aging: 'Aging evolution (multi-objective)',
  ga: 'Genetic algorithm (accuracy only, MENNDL-style)',
  random: 'Random search',
};

/** Five networks of two 16-unit layers, 150 full-batch Adam steps each: chosen on the benchmark (README "Search"). */
export const OURS_SURROGATE = { members: 5, mlp: { hidden: [16, 16], epochs: 150, learningRate: 0.01, weightDecay: 1e-3 } } as const;

/** What "ours" needs beyond a population size: the free objectives of a genome. */
export interface CostContext<G> {
  readonly costs: (genome: G) => readonly number[];
  readonly errorToPercent: number;
}

export function makeAlgorithm<G>(name: AlgorithmName, populationSize: number, context?: CostContext<G>): Algorithm<G> {
  switch (name) {
    case 'ours':
      if (!context) throw new Error('The cost-screened search needs the free costs of a genome.');
      return ours({ populationSize, ...context, offspringPerSlot: 30, surrogate: OURS_SURROGATE, spread: 1 });
    case 'nsga2':
      return nsga2({ populationSize });
    case 'aging':
      return agingEvolution({ populationSize, sampleSize: Math.max(2, Math.round(populationSize / 4)) });
    case 'ga':
      return geneticAlgorithm({ populationSize, tournamentSize: 3, elites: Math.max(1, Math.round(populationSize / 5)) });
    case 'random':
      return randomSearch({ populationSize });
    default:
      return assertNever(name, 'algorithm');
  }
}
