import { assertNever } from '../core/assert';
import type { Algorithm, AlgorithmName } from './algorithm';
import { agingEvolution } from './aging';
import { geneticAlgorithm } from './ga';
import { nsga2 } from './nsga2';
import { randomSearch } from './random';

export const ALGORITHM_LABELS: Record<AlgorithmName, string> = {
  nsga2: 'NSGA-II (multi-objective)',
  aging: 'Aging evolution (multi-objective)',
  ga: 'Genetic algorithm (accuracy only, MENNDL-style)',
  random: 'Random search',
};

export function makeAlgorithm(name: AlgorithmName, populationSize: number): Algorithm {
  switch (name) {
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
