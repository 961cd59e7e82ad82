import { deriveSeed } from '../core/rng';
import type { LayerWeights } from '../genome/inherit';
import { lowerGenome } from '../genome/graph';
import { oversizedGenome } from '../genome/memory';
import { candidateRecord } from './candidate';
import { Interrupted } from './evaluator';
import { failure, MAX_ATTEMPTS } from './failures';
import type { LoopDeps } from './ports';
import type { Prediction } from './predict';
import type { CnnGenome } from '../genome/types';
import type { CandidateRecord, PendingCandidate, RunRecord } from '../records';
import type { TrainingPlan } from './trainingPlan';

/** A finished candidate's record, with its trained weights when they are kept for inheritance. */
export interface Finished {
  readonly record: CandidateRecord;
  readonly weights?: readonly LayerWeights[];
}

/**
 * One attempt at a pending candidate: its lease is committed first (so a kill is counted), a candidate cut
 * short too often is given up as failed, and a pause or stop releases the lease uncounted (`Interrupted`).
 */
export async function attempt(
  run: RunRecord,
  p: PendingCandidate,
  predict: (g: CnnGenome) => Prediction | null,
  plan: () => Promise<TrainingPlan>,
  deps: LoopDeps,
): Promise<Finished> {
  const lease = await deps.store.beginAttempt(run.id, p.seq, deps.writer, deps.now());
  if (lease.attempts > MAX_ATTEMPTS) {
    const given = failure('interrupted-repeatedly', `${lease.attempts - 1} attempts were cut short`);
    return { record: candidateRecord(run, p, { ok: false, failure: given }, null, 0, deps.now(), lease.attempts - 1, deps.writer) };
  }
  try {
    return await evaluatePending(run, p, lease.attempts, predict, await plan(), deps);
  } catch (e) {
    if (e instanceof Interrupted) await deps.store.releaseAttempt(run.id, p.seq);
    throw e;
  }
}

async function evaluatePending(
  run: RunRecord,
  pending: PendingCandidate,
  attempts: number,
  predict: (g: CnnGenome) => Prediction | null,
  { promotion, inheritance }: TrainingPlan,
  deps: LoopDeps,
): Promise<Finished> {
  const limits = run.limits!;
  const fault = deps.faults?.faults.find((f) => f.seq === pending.seq);
  // The out-of-memory fault swaps in a network no device can hold; the record keeps what was really tried.
  const p = fault?.kind === 'oversize' ? { ...pending, genome: oversizedGenome(pending.genome) } : pending;
  const { params, flops } = lowerGenome(p.genome, limits);
  const predicted = predict(p.genome);
  deps.emit({ kind: 'candidate-start', runId: run.id, seq: p.seq, generation: p.generation, genome: p.genome, params, flops, predicted });
  const start = deps.now();
  const outcome = await deps.evaluator.evaluate(
    {
      seq: p.seq,
      genome: p.genome,
      limits,
      seed: deriveSeed(run.config.seed, p.seq),
      latencyRuns: run.config.latencyRuns,
      ...(fault ? { fault } : {}),
      ...(promotion ? { promotion } : {}),
      ...(inheritance ? { inherit: inheritance.layers } : {}),
      ...(run.config.inheritWeights ? { keepWeights: true } : {}),
    },
    {
      onBatch: (epoch, batch, batches) => deps.emit({ kind: 'progress', runId: run.id, seq: p.seq, epoch, epochs: p.genome.training.epochs, batch, batches }),
      onEpoch: (log) => deps.emit({ kind: 'epoch', runId: run.id, seq: p.seq, log }),
    },
  );
  const record = candidateRecord(run, p, outcome, predicted?.latencyMs ?? null, deps.now() - start, deps.now(), attempts, deps.writer, promotion);
  if (!outcome.ok) return { record };
  const inherited =
    inheritance && outcome.evaluation.inheritedLayers > 0 ? { inheritedFrom: { seq: inheritance.seq, layers: outcome.evaluation.inheritedLayers } } : {};
  return { record: { ...record, ...inherited }, ...(outcome.evaluation.weights ? { weights: outcome.evaluation.weights } : {}) };
}
