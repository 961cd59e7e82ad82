import { DEFAULT_BUDGETS, type BuiltinDatasetName } from '../data/builtin';
import type { SpaceLimits } from '../genome/types';
import { assumedPower } from '../energy/energy';
import { DEFAULT_OBJECTIVES } from '../search/objectives';
import type { DatasetChoice, RunConfig } from '../records';

/** The most training workers a run may ask for (each holds the data and a tfjs backend of its own). */
export const MAX_POOL_SIZE = 8;

/** Budgets for an imported dataset: Fashion-MNIST's, within 70% / 15% of its images, FLOPs scaled with its pixels. */
function storedBudget(choice: Extract<DatasetChoice, { kind: 'stored' }>) {
  const pixels = choice.shape.height * choice.shape.width * choice.shape.channels;
  return {
    maxTrainImages: Math.max(10, Math.min(3000, Math.floor(choice.images * 0.7))),
    maxValidationImages: Math.max(10, Math.min(1000, Math.floor(choice.images * 0.15))),
    maxEpochs: 2,
    maxFlops: Math.round(Math.min(20_000_000, Math.max(500_000, (2_000_000 * pixels) / 784))),
  };
}

/**
 * The set-up a person gets without touching anything: a 3-objective search on the digits by ours (surrogate
 * screening, population 3), which made a better front per minute than NSGA-II on both built-in datasets (README).
 */
export function defaultConfig(dataset: BuiltinDatasetName | DatasetChoice = 'digits'): RunConfig {
  const choice: DatasetChoice = typeof dataset === 'string' ? { kind: 'builtin', name: dataset } : dataset;
  const b = choice.kind === 'builtin' ? { ...DEFAULT_BUDGETS[choice.name], maxFlops: choice.name === 'digits' ? 500_000 : 2_000_000 } : storedBudget(choice);
  return {
    dataset: choice,
    algorithm: 'ours',
    objectives: DEFAULT_OBJECTIVES,
    populationSize: 3,
    evaluations: 24,
    seed: 1,
    budget: {
      maxEpochs: b.maxEpochs,
      maxTrainImages: b.maxTrainImages,
      maxValidationImages: b.maxValidationImages,
      maxParams: 100_000,
      maxFlops: b.maxFlops,
      maxLatencyMs: null,
      maxEnergyMj: null,
    },
    backend: 'auto',
    power: assumedPower('laptop-integrated'),
    latencyRuns: 30,
    trainOn: 'fastest',
  };
}

/** The search space's limits once the dataset's shape is known. */
export function limitsFor(
  config: RunConfig,
  shape: { height: number; width: number; channels: number; classes: number },
  trainImages = config.budget.maxTrainImages,
): SpaceLimits {
  return {
    ...shape,
    trainImages: Math.min(trainImages, config.budget.maxTrainImages),
    maxParams: config.budget.maxParams,
    maxFlops: config.budget.maxFlops,
    maxEpochs: config.budget.maxEpochs,
    maxBlocks: 4,
    maxLayersPerBlock: 4,
  };
}

/**
 * What is wrong with a configuration, in words for the user (empty when it can run), and the configuration as
 * it will run: the single-objective GA optimises validation error only, whatever else was ticked.
 */
export function checkConfig(config: RunConfig): { problems: string[]; config: RunConfig } {
  const problems: string[] = [];
  const whole = (v: number, min: number, what: string) => {
    if (!Number.isInteger(v) || v < min) problems.push(`${what} must be a whole number of at least ${min} (got ${v}).`);
  };
  whole(config.evaluations, 1, 'Evaluations');
  whole(config.populationSize, 2, 'Population');
  whole(config.budget.maxEpochs, 1, 'Max epochs');
  whole(config.budget.maxTrainImages, 10, 'Training images');
  whole(config.budget.maxValidationImages, 10, 'Validation images');
  whole(config.budget.maxParams, 1000, 'Max parameters');
  whole(config.budget.maxFlops, 1000, 'Max FLOPs');
  whole(config.latencyRuns, 1, 'Timed inferences');
  if (config.workers !== undefined && (!Number.isInteger(config.workers) || config.workers < 1 || config.workers > MAX_POOL_SIZE)) {
    problems.push(`Training workers must be a whole number from 1 to ${MAX_POOL_SIZE}, or automatic (got ${config.workers}).`);
  }
  if (config.maxMinutes != null && !(config.maxMinutes > 0))
    problems.push(`Time budget must be a positive number of minutes, or empty for none (got ${config.maxMinutes}).`);
  for (const [v, what] of [
    [config.budget.maxLatencyMs, 'Max latency'],
    [config.budget.maxEnergyMj, 'Max energy'],
  ] as const) {
    if (v !== null && !(v > 0)) problems.push(`${what} must be a positive number, or empty for no budget (got ${v}).`);
  }
  if (!Number.isInteger(config.seed)) problems.push(`Seed must be a whole number (got ${config.seed}).`);
  const objectives = config.algorithm === 'ga' ? (['error'] as const) : config.objectives;
  if (objectives.length === 0) problems.push('Pick at least one objective.');
  else if (config.algorithm === 'ours' && objectives[0] !== 'error')
    problems.push('The cost-screened search learns validation error from the costs: keep "Validation error" among the objectives.');
  return { problems, config: { ...config, objectives } };
}
