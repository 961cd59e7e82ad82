import { canonicalJson } from '../core/json';
import { frontIds } from './analysis';
import { describeFailure } from './failures';
import type { CandidateRecord, RunRecord } from '../records';

const COLUMNS = [
  'id',
  'generation',
  'status',
  'accuracy',
  'params',
  'flops',
  'latency_ms',
  'energy_mj',
  'on_front',
  'genome',
  'seq',
  'val_loss',
  'latency_p25_ms',
  'latency_p75_ms',
  'cold_latency_ms',
  'predicted_latency_ms',
  'energy_low_mj',
  'energy_high_mj',
  'energy_source',
  'over_budget',
  'train_ms',
  'total_ms',
  'backend',
  'failure',
  'failure_code',
  'attempts',
  'stopped_after_epoch',
  'inherited_from',
  'test_accuracy',
  'test_epochs',
] as const;

function cell(v: string | number | null): string {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Every candidate of a run as CSV (RFC 4180 quoting), one row each in evaluation order; `on_front` is 1 for
 * the non-dominated finished candidates under the run's own objectives. Missing figures are empty cells.
 */
export function candidatesCsv(run: RunRecord, candidates: readonly CandidateRecord[]): string {
  const front = frontIds(candidates, run.config.objectives);
  const rows = candidates.map((c) => {
    const m = c.metrics;
    const values: Record<(typeof COLUMNS)[number], string | number | null> = {
      id: c.id,
      generation: c.generation,
      status: c.status,
      accuracy: m.accuracy,
      params: m.params,
      flops: m.flops,
      latency_ms: m.latencyMs,
      energy_mj: m.energyMj,
      on_front: front.has(c.id) ? 1 : 0,
      genome: canonicalJson(c.genome),
      seq: c.seq,
      val_loss: m.valLoss,
      latency_p25_ms: m.latencyP25Ms,
      latency_p75_ms: m.latencyP75Ms,
      cold_latency_ms: m.coldLatencyMs,
      predicted_latency_ms: m.predictedLatencyMs,
      energy_low_mj: c.energy?.lowMj ?? null,
      energy_high_mj: c.energy?.highMj ?? null,
      energy_source: c.energy?.label ?? null,
      over_budget: c.overBudget,
      train_ms: Math.round(c.timings.trainMs),
      total_ms: Math.round(c.timings.totalMs),
      backend: c.backend,
      failure: c.failure ? describeFailure(c.failure) : null,
      failure_code: c.failure?.code ?? null,
      attempts: c.attempts,
      stopped_after_epoch: c.stoppedEarly?.afterEpoch ?? null,
      inherited_from: c.inheritedFrom?.seq ?? null,
      test_accuracy: c.fullRetrain?.testAccuracy ?? null,
      test_epochs: c.fullRetrain?.epochs ?? null,
    };
    return COLUMNS.map((k) => cell(values[k])).join(',');
  });
  return [COLUMNS.join(','), ...rows].join('\n') + '\n';
}
