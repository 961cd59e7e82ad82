import { objectiveValue, OBJECTIVE_INFO, type ObjectiveId, type ObjectiveMetrics } from '../search/objectives';

/** An objective as people read it: error in percent, everything else in its own unit. */
export function displayValue(m: ObjectiveMetrics, id: ObjectiveId): number {
  const v = objectiveValue(m, id);
  return id === 'error' ? v * 100 : v;
}

export function axisLabel(id: ObjectiveId): string {
  const { label, unit } = OBJECTIVE_INFO[id];
  return unit ? `${label} (${unit})` : label;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function formatValue(id: ObjectiveId, v: number): string {
  if (!Number.isFinite(v)) return '–';
  switch (id) {
    case 'error':
      return `${v.toFixed(1)}%`;
    case 'params':
    case 'flops':
      return compact.format(v);
    case 'latency':
      return `${v.toFixed(2)} ms`;
    case 'energy':
      return `${v.toFixed(2)} mJ`;
  }
}
