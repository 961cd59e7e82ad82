import { DEFAULT_BUDGETS, type BuiltinDatasetName } from '../data/builtin';
import type { SpaceLimits } from '../genome/types';
import { assumedPower } from '../measure/energy';
import { DEFAULT_OBJECTIVES } from '../search/objectives';
import type { RunConfig } from './records';

/** The set-up a person gets without touching anything: a 3-objective NSGA-II search on the digits. */
export function defaultConfig(dataset: BuiltinDatasetName = 'digits'): RunConfig {
  const b = DEFAULT_BUDGETS[dataset];
  return {
    dataset: { kind: 'builtin', name: dataset },
    algorithm: 'nsga2',
    objectives: DEFAULT_OBJECTIVES,
    populationSize: 6,
    evaluations: 24,
    seed: 1,
    budget: { maxEpochs: b.maxEpochs, maxTrainImages: b.maxTrainImages, maxValidationImages: b.maxValidationImages, maxParams: 100_000, maxFlops: dataset === 'digits' ? 500_000 : 2_000_000 },
    backend: 'auto',
    power: assumedPower('laptop-integrated'),
    latencyRuns: 30,
  };
}

/** The search space's limits once the dataset's shape is known. */
export function limitsFor(config: RunConfig, shape: { height: number; width: number; channels: number; classes: number }): SpaceLimits {
  return {
    ...shape,
    maxParams: config.budget.maxParams,
    maxFlops: config.budget.maxFlops,
    maxEpochs: config.budget.maxEpochs,
    maxBlocks: 4,
    maxLayersPerBlock: 4,
  };
}
