import { fitLine, mean } from '../core/stats';
import { predictNetworkMs, type CostModel } from '../costmodel/model';
import { energyFromLatency, type PowerSource } from '../energy/energy';
import { lowerGenome } from '../genome/graph';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import type { CostProfile } from '../measure/profile';
import type { CandidateRecord, TrainingBudget } from '../records';
import type { ObjectiveId } from '../search/objectives';

export interface Prediction {
  readonly latencyMs: number;
  readonly energyMj: number;
}

export type Predictor = (genome: CnnGenome) => Prediction;

/** Latency and energy of a genome before any training, from this device's calibrated cost model. */
export function predictorFor(profile: CostProfile, limits: SpaceLimits, power: PowerSource): Predictor {
  return predictorForModel(profile.model, limits, power);
}

/** Latency and energy of a genome before any training, from a cost model. */
export function predictorForModel(model: CostModel, limits: SpaceLimits, power: PowerSource): Predictor {
  return (genome) => {
    const latencyMs = predictNetworkMs(model, lowerGenome(genome, limits).nodes);
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
  if (budget.maxLatencyMs !== null && figures.latencyMs > budget.maxLatencyMs)
    parts.push(`latency ${figures.latencyMs.toFixed(2)} ms > ${budget.maxLatencyMs} ms`);
  if (budget.maxEnergyMj !== null && figures.energyMj > budget.maxEnergyMj) parts.push(`energy ${figures.energyMj.toFixed(2)} mJ > ${budget.maxEnergyMj} mJ`);
  return parts.length ? `Over budget: ${parts.join(', ')}` : null;
}

/**
 * The objectives after validation error, as known before training, for the cost-screened search: parameters and
 * FLOPs exactly, latency and energy from the calibrated model, or without one from a line through this run's
 * measured latencies against FLOPs (a stopgap the search refits every batch).
 */
export function freeCosts(
  objectives: readonly ObjectiveId[],
  limits: SpaceLimits,
  power: PowerSource,
  predict: Predictor | null,
  done: readonly CandidateRecord[],
): (g: CnnGenome) => number[] {
  const measured = done.filter((c) => c.status === 'done' && Number.isFinite(c.metrics.latencyMs));
  // no slower with more FLOPs; 1e-6 ms per FLOP until two distinct points exist
  const fitted = fitLine(measured.map((c) => [c.metrics.flops, c.metrics.latencyMs] as const));
  const line = fitted ? { a: fitted.b < 0 ? mean(measured.map((c) => c.metrics.latencyMs)) : fitted.a, b: Math.max(0, fitted.b) } : { a: 0, b: 1e-6 };
  return (g) => {
    const { params, flops } = lowerGenome(g, limits);
    const latencyMs = predict ? predict(g).latencyMs : line.a + line.b * flops;
    return objectives.slice(1).map((id) => {
      switch (id) {
        case 'params':
          return params;
        case 'flops':
          return flops;
        case 'latency':
          return latencyMs;
        case 'energy':
          return energyFromLatency(latencyMs, power).mj;
        case 'error':
          return NaN;
      }
    });
  };
}
