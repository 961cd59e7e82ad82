import { predictNetworkMs } from '../costmodel/model';
import { energyFromLatency, type PowerSource } from '../energy/energy';
import { lowerGenome } from '../genome/graph';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import type { CostProfile } from '../measure/profile';
import type { TrainingBudget } from './records';

export interface Prediction {
  readonly latencyMs: number;
  readonly energyMj: number;
}

export type Predictor = (genome: CnnGenome) => Prediction;

/** Latency and energy of a genome before any training, from this device's calibrated cost model. */
export function predictorFor(profile: CostProfile, limits: SpaceLimits, power: PowerSource): Predictor {
  return (genome) => {
    const latencyMs = predictNetworkMs(profile.model, lowerGenome(genome, limits).nodes);
    return { latencyMs, energyMj: energyFromLatency(latencyMs, power).mj };
  };
}

/** How far figures exceed the budgets, as a sum of relative excesses; 0 when within every budget. */
export function budgetViolation(figures: Prediction, budget: Pick<TrainingBudget, 'maxLatencyMs' | 'maxEnergyMj'>): number {
  const over = (v: number, max: number | null) => (max === null ? 0 : Math.max(0, v / max - 1));
  return over(figures.latencyMs, budget.maxLatencyMs) + over(figures.energyMj, budget.maxEnergyMj);
}

/** Words for a measured candidate outside the budgets, or null. */
export function overBudgetMessage(figures: Prediction, budget: Pick<TrainingBudget, 'maxLatencyMs' | 'maxEnergyMj'>): string | null {
  const parts: string[] = [];
  if (budget.maxLatencyMs !== null && figures.latencyMs > budget.maxLatencyMs) parts.push(`latency ${figures.latencyMs.toFixed(2)} ms > ${budget.maxLatencyMs} ms`);
  if (budget.maxEnergyMj !== null && figures.energyMj > budget.maxEnergyMj) parts.push(`energy ${figures.energyMj.toFixed(2)} mJ > ${budget.maxEnergyMj} mJ`);
  return parts.length ? `Over budget: ${parts.join(', ')}` : null;
}
