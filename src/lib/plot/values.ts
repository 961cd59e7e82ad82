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
