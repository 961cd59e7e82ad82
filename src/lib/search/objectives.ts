import { assertNever } from '../core/assert';
import { type ObjectiveId } from '../records/names';
import type { ObjectiveMetrics } from '../records/figures';

export const OBJECTIVE_INFO: Record<ObjectiveId, { label: string; unit: string }> = {
  error: { label: 'Validation error', unit: '%' },
  params: { label: 'Parameters', unit: '' },
  flops: { label: 'FLOPs', unit: '' },
  latency: { label: 'Latency', unit: 'ms' },
  energy: { label: 'Energy / inference', unit: 'mJ' },
};

export const DEFAULT_OBJECTIVES: readonly ObjectiveId[] = ['error', 'energy', 'latency'];

/** One objective, minimised. Error is (1 - accuracy) in [0, 1]; NaN metrics become +Infinity (worst). */
export function objectiveValue(m: ObjectiveMetrics, id: ObjectiveId): number {
  const v = ((): number => {
    switch (id) {
      case 'error':
        return 1 - m.accuracy;
      case 'params':
        return m.params;
      case 'flops':
        return m.flops;
      case 'latency':
        return m.latencyMs;
      case 'energy':
        return m.energyMj;
      default:
        return assertNever(id, 'objective');
    }
  })();
  return Number.isNaN(v) ? Infinity : v;
}

export function objectiveVector(m: ObjectiveMetrics, ids: readonly ObjectiveId[]): number[] {
  return ids.map((id) => objectiveValue(m, id));
}

export { OBJECTIVES, type ObjectiveId } from '../records/names';

export type { ObjectiveMetrics } from '../records/figures';
