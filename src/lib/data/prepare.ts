import { deriveSeed, Rng } from '../core/rng';
import { stratifiedSplit, type Split } from './split';
import type { LoadedDataset } from './load';

export interface SplitBudget {
  readonly maxTrainImages: number;
  readonly maxValidationImages: number;
}

/** The split's own seed, apart from the search seed's other uses, so data order never shifts the search. */
export const splitSeedOf = (runSeed: number): number => deriveSeed(runSeed, 0x5eed);

/**
 * The run's train / validation / test indices: a seeded stratified split (15% validation, 15% test, or the
 * source's official test set), then balanced prefixes cut to the training budget.
 */
export function prepareSplit(loaded: LoadedDataset, seed: number, budget: SplitBudget): Split {
  const rng = Rng.fromSeed(seed);
  const labels = loaded.dataset.labels;
  const start = loaded.officialTestStart;
  const split =
    start === null
      ? stratifiedSplit(labels, { validation: 0.15, test: 0.15 }, rng)
      : {
          ...stratifiedSplit(labels.subarray(0, start), { validation: 1 / 6, test: 0 }, rng),
          test: Int32Array.from({ length: labels.length - start }, (_, i) => start + i),
        };
  return {
    train: split.train.subarray(0, budget.maxTrainImages),
    validation: split.validation.subarray(0, budget.maxValidationImages),
    test: split.test,
  };
}
