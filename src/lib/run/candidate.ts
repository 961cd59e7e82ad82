import { candidateId } from '../core/ids';
import { energyFromLatency } from '../energy/energy';
import { lowerGenome } from '../genome/graph';
import { objectiveVector } from '../search/objectives';
import type { EvaluateOutcome } from './evaluator';
import { overBudgetMessage } from './predict';
import type { Promotion } from './promotion';
import type { CandidateRecord, PendingCandidate, RunRecord } from '../records';

/** The stored record of one evaluated candidate: measured figures, energy with its source, the model's error. */
export function candidateRecord(
  run: RunRecord,
  p: PendingCandidate,
  outcome: EvaluateOutcome,
  predictedLatencyMs: number | null,
  totalMs: number,
  now: number,
  attempts: number,
  writer: string,
  promotion: Promotion | null = null,
): CandidateRecord {
  const { params, flops } = lowerGenome(p.genome, run.limits!);
  const base = {
    id: candidateId(run.id, p.seq),
    runId: run.id,
    seq: p.seq,
    generation: p.generation,
    genome: p.genome,
    key: p.key,
    backend: outcome.backend ?? run.backend?.name ?? null,
    finishedAt: now,
    attempts,
    writer,
    ...(outcome.ok && outcome.trainedOn && outcome.trainedOn !== outcome.backend ? { trainedOn: outcome.trainedOn } : {}),
  };
  if (!outcome.ok) {
    return {
      ...base,
      status: 'failed',
      failure: outcome.failure,
      overBudget: null,
      energy: null,
      history: [],
      leakedTensors: 0,
      metrics: {
        accuracy: NaN,
        valLoss: NaN,
        params,
        flops,
        latencyMs: NaN,
        latencyP25Ms: NaN,
        latencyP75Ms: NaN,
        coldLatencyMs: NaN,
        energyMj: NaN,
        predictedLatencyMs,
        latencyErrorPct: null,
      },
      timings: { trainMs: 0, measureMs: 0, totalMs },
    };
  }
  const e = outcome.evaluation;
  const energy = energyFromLatency(e.latency, run.config.power);
  const stopped = promotion && e.history.length < p.genome.training.epochs ? { stoppedEarly: promotion } : {};
  return {
    ...base,
    ...stopped,
    status: 'done',
    failure: null,
    energy,
    history: e.history,
    leakedTensors: e.leakedTensors,
    overBudget: overBudgetMessage({ latencyMs: e.latency.medianMs, energyMj: energy.mj }, run.config.budget),
    metrics: {
      accuracy: e.accuracy,
      valLoss: e.valLoss,
      params,
      flops,
      latencyMs: e.latency.medianMs,
      latencyP25Ms: e.latency.p25Ms,
      latencyP75Ms: e.latency.p75Ms,
      coldLatencyMs: e.latency.coldMs,
      energyMj: energy.mj,
      predictedLatencyMs,
      latencyErrorPct: predictedLatencyMs === null ? null : (100 * (predictedLatencyMs - e.latency.medianMs)) / e.latency.medianMs,
      ...(e.kernelMs ? { kernelMs: e.kernelMs } : {}),
      ...(e.latency.relative !== undefined ? { latencyRelative: e.latency.relative } : {}),
    },
    timings: { trainMs: e.trainMs, measureMs: e.measureMs, totalMs },
  };
}

/** Objective vector of a finished candidate; a failed or over-budget one is worse than anything in every objective. */
export function candidateObjectives(c: CandidateRecord, objectives: RunRecord['config']['objectives']): number[] {
  return c.status === 'failed' || c.overBudget ? objectives.map(() => Infinity) : objectiveVector(c.metrics, objectives);
}
