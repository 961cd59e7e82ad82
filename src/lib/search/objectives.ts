import { assertNever } from '../core/assert';

export const OBJECTIVES = ['error', 'params', 'flops', 'latency', 'energy'] as const;
export type ObjectiveId = (typeof OBJECTIVES)[number];

/** The per-candidate figures objectives are read from. */
export interface ObjectiveMetrics {
  /** Validation accuracy in [0, 1]. */
  readonly accuracy: number;
  readonly params: number;
  /** FLOPs of one batch-1 inference. */
  readonly flops: number;
  /** Batch-1 inference latency in ms (median). */
  readonly latencyMs: number;
  /** Energy of one batch-1 inference in mJ. */
  readonly energyMj: number;
}

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
