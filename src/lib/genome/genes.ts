import type { Rng } from '../core/rng';
import { ACTIVATIONS, BATCH_SIZES, FILTERS, type ConvActivation, type Kernel, type LayerGene, type LayerKind, type OptimizerName } from './types';

/** Learning rates a genome may hold, a half decade apart; a grid keeps genome keys exact. */
export const LEARNING_RATES = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1] as const;

/**
 * The rates the search moves between, per optimizer: where nearly every network of the space learns in a
 * budget of a few epochs (the README's "Training genes"). Adam at 1e-3 or SGD at 1e-2 leaves a fifth of
 * the networks near chance in the ~100-300 steps of a default budget; Adam above 1e-2 diverges or stalls small
 * networks. Longer budgets would allow lower rates; the range does not widen with them yet.
 */
export const LEARNING_RATE_RANGES: Record<OptimizerName, readonly number[]> = {
  adam: [3e-3, 1e-2],
  sgd: [3e-2, 1e-1],
};

/** A rate moved into an optimizer's range, and its counterpart when the optimizer changes (SGD takes ~10x Adam's). */
export function rateInRange(optimizer: OptimizerName, learningRate: number): number {
  const range = LEARNING_RATE_RANGES[optimizer];
  return nearestInGrid(range, Math.min(range[range.length - 1]!, Math.max(range[0]!, learningRate)));
}
export const rateForSwitch = (to: OptimizerName, learningRate: number): number => rateInRange(to, to === 'sgd' ? learningRate * 10 : learningRate / 10);
export const DROPOUT_RATES = [0.1, 0.2, 0.3, 0.4, 0.5] as const;

const KERNEL_WEIGHTS: readonly (readonly [Kernel, number])[] = [
  [1, 1],
  [3, 5],
  [5, 2],
  [7, 1],
];
const CONV_ACTIVATIONS: readonly (readonly [ConvActivation, number])[] = [
  ['relu', 4],
  ['relu6', 2],
  ['elu', 1],
  ['silu', 2],
  ['linear', 1],
];
const FILTER_WEIGHTS: readonly (readonly [number, number])[] = FILTERS.map((f) => [f, f <= 64 ? 3 : 1] as const);
const FOLLOW_UP_KINDS: readonly (readonly [LayerKind, number])[] = [
  ['conv', 3],
  ['sepconv', 2],
  ['pool', 3],
  ['batchnorm', 2],
  ['dropout', 1],
  ['activation', 1],
];

export function sampleLayer(kind: LayerKind, rng: Rng): LayerGene {
  switch (kind) {
    case 'conv':
    case 'sepconv':
      return {
        kind,
        filters: rng.weighted(FILTER_WEIGHTS),
        kernel: rng.weighted(KERNEL_WEIGHTS),
        stride: rng.bool(0.25) ? 2 : 1,
        activation: rng.weighted(CONV_ACTIVATIONS),
      };
    case 'pool':
      return { kind, mode: rng.bool(0.7) ? 'max' : 'avg', size: rng.bool(0.7) ? 2 : 3 };
    case 'batchnorm':
      return { kind };
    case 'dropout':
      return { kind, rate: rng.pick(DROPOUT_RATES) };
    case 'activation':
      return { kind, fn: rng.pick(ACTIVATIONS) };
  }
}

export function sampleAnyLayer(rng: Rng): LayerGene {
  return sampleLayer(rng.weighted(FOLLOW_UP_KINDS), rng);
}

/** A block opens with a convolution (most of the time), then 0-2 other layers. */
export function sampleBlockLayers(rng: Rng, maxLayers: number): LayerGene[] {
  const layers: LayerGene[] = [sampleLayer(rng.bool(0.75) ? 'conv' : 'sepconv', rng)];
  const extra = rng.int(0, Math.min(2, maxLayers - 1));
  for (let i = 0; i < extra; i++) layers.push(sampleAnyLayer(rng));
  return layers;
}

/** Starting rates per optimizer, where the figures put most networks' best; mutation walks the optimizer's range. */
export function sampleLearningRate(optimizer: OptimizerName, rng: Rng): number {
  return optimizer === 'adam'
    ? rng.pick([3e-3, 1e-2])
    : rng.weighted([
        [3e-2, 3],
        [1e-1, 1],
      ]);
}

export function sampleBatchSize(rng: Rng): (typeof BATCH_SIZES)[number] {
  return rng.pick([16, 32, 32, 64] as const);
}

/** Moves to the neighbouring value in a sorted grid, staying inside it. */
export function stepInGrid<T>(grid: readonly T[], value: T, rng: Rng): T {
  const i = Math.max(0, grid.indexOf(value));
  const next = rng.bool() ? Math.min(grid.length - 1, i + 1) : Math.max(0, i - 1);
  return grid[next === i ? (i === 0 ? 1 : i - 1) : next] as T;
}

/** Snaps any number to the nearest grid value. */
export function nearestInGrid(grid: readonly number[], value: number): number {
  return grid.reduce((best, v) => (Math.abs(Math.log(v / value)) < Math.abs(Math.log(best / value)) ? v : best), grid[0]!);
}
