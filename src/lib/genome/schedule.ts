import type { TrainingGenes } from './types';

/** Share of the steps spent warming up (the step size rising linearly from near zero to its peak). */
export const WARMUP_SHARE = 0.1;

/**
 * The step size for step `step` (0-based) of `totalSteps`: the gene's rate throughout when constant; else a
 * linear warm-up over the first tenth of the steps, then a half cosine towards zero (reached just after the last step).
 * scripts/bench/torch_genome.py computes the same for the native peer.
 */
export function learningRateAt(training: TrainingGenes, step: number, totalSteps: number): number {
  const peak = training.learningRate;
  if ((training.schedule ?? 'constant') === 'constant' || totalSteps <= 1) return peak;
  const warmup = Math.max(1, Math.round(WARMUP_SHARE * totalSteps));
  if (step < warmup) return (peak * (step + 1)) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, totalSteps - warmup));
  return 0.5 * peak * (1 + Math.cos(Math.PI * progress));
}
