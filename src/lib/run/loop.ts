import { deriveSeed, Rng } from '../core/rng';
import { lowerGenome } from '../genome/graph';
import { oversizedGenome } from '../genome/memory';
import { failure, HEARTBEAT_MS, isQuotaError, MAX_ATTEMPTS, QUOTA_MESSAGE } from './failures';
import { deviceKey } from '../measure/manifest';
import { initialState } from '../search/algorithm';
import { constrainedSpace } from '../search/constrained';
import { makeAlgorithm } from '../search/registry';
import { cnnSpace } from '../search/spaces/cnn';
import { candidateObjectives, candidateRecord } from './candidate';
import { limitsFor } from './config';
import type { RunEventListener } from './events';
import { Interrupted, type Evaluator } from './evaluator';
import { budgetViolation, freeCosts, predictorFor, type Predictor } from './predict';
import type { CandidateRecord, PendingCandidate, RunRecord, RunStatus, SnapshotRecord } from './records';
import type { RunStore } from './store';
import type { LayerWeights } from '../genome/inherit';
import { trainingPlanner, type TrainingPlan } from './trainingPlan';

/** A finished candidate's record, with its trained weights when they are kept for inheritance. */
interface Finished {
  readonly record: CandidateRecord;
  readonly weights?: readonly LayerWeights[];
}

export { candidateObjectives } from './candidate';

export interface LoopDeps {
  readonly store: RunStore;
  readonly evaluator: Evaluator;
  readonly emit: RunEventListener;
  /** Checked between candidates; a pause or stop during a candidate arrives as `Interrupted`. */
  readonly interruption: () => 'paused' | 'stopped' | null;
  readonly now: () => number;
  /** This tab's writer id, stamped on its leases and candidates. */
  readonly writer: string;
  /** Calls `beat` every `ms` until the returned stop function runs (setInterval in the app). */
  readonly every: (ms: number, beat: () => void) => () => void;
}

async function setStatus(deps: LoopDeps, run: RunRecord, status: RunStatus, message: string | null = null): Promise<RunRecord> {
  const next = { ...run, status, message, updatedAt: deps.now() };
  await deps.store.putRun(next);
  deps.emit({ kind: 'run', run: next });
  return next;
}

/**
 * Runs (or resumes) a search until its evaluation budget is spent, it is interrupted, or it fails.
 * Every decision comes from the snapshot's RNG state and the stored candidates, so a resumed run takes
 * exactly the steps an uninterrupted one would have taken.
 */
export async function runSearch(runId: string, deps: LoopDeps): Promise<RunStatus> {
  let run = await deps.store.getRun(runId);
  if (!run) throw new Error(`There is no run ${runId} in this browser's storage.`);
  try {
    run = await setStatus(deps, run, 'running');
    const prepared = await deps.evaluator.prepare(run.config);
    const d = prepared.dataset;
    const profile = await deps.store.getProfile(deviceKey(prepared.manifest));
    run = {
      ...run,
      backend: prepared.backend,
      training: prepared.training,
      device: prepared.manifest,
      costProfileId: profile?.id ?? null,
      limits: run.limits ?? limitsFor(run.config, { height: d.height, width: d.width, channels: d.channels, classes: d.classNames.length }),
    };
    await deps.store.putRun(run);
    deps.emit({ kind: 'backend', runId, backend: prepared.backend });
    return await loop(run, profile ? predictorFor(profile, run.limits!, run.config.power) : null, deps);
  } catch (e) {
    if (e instanceof Interrupted) {
      await setStatus(deps, run, deps.interruption() ?? 'paused');
      return deps.interruption() ?? 'paused';
    }
    if (isQuotaError(e)) {
      // storing the paused status may fail too: the UI hears it either way, and a reload resumes and asks again
      const paused = { ...run, status: 'paused' as const, message: QUOTA_MESSAGE, updatedAt: deps.now() };
      await deps.store.putRun(paused).catch(() => {});
      deps.emit({ kind: 'run', run: paused });
      return 'paused';
    }
    await setStatus(deps, run, 'failed', e instanceof Error ? e.message : String(e));
    return 'failed';
  }
}

async function loop(initialRun: RunRecord, predict: Predictor | null, deps: LoopDeps): Promise<RunStatus> {
  let run = initialRun;
  const { config } = run;
  const budgeted = config.budget.maxLatencyMs !== null || config.budget.maxEnergyMj !== null;
  // Offspring over the latency / energy budget are redrawn before training when this device is calibrated.
  const space = predict && budgeted ? constrainedSpace(cnnSpace(run.limits!), (g) => budgetViolation(predict(g), config.budget)) : cnnSpace(run.limits!);
  // "ours" screens offspring on their free costs, which depend on what this run has measured so far
  const algorithmNow = () =>
    makeAlgorithm(config.algorithm, config.populationSize, config.algorithm === 'ours'
      ? { costs: freeCosts(config.objectives, run.limits!, config.power, predict, [...done.values()]) as (g: never) => readonly number[], errorToPercent: 100 }
      : undefined);
  let snap: SnapshotRecord = (await deps.store.getSnapshot(run.id)) ?? {
    runId: run.id, step: 0, state: initialState(config.algorithm), rng: Rng.fromSeed(config.seed).state(), pending: [], savedAt: deps.now(),
  };
  const done = new Map((await deps.store.candidatesOf(run.id)).map((c) => [c.seq, c]));
  const planOf = trainingPlanner(run, predict, done, deps.store);
  for (;;) {
    if (snap.pending.length === 0) {
      const remaining = config.evaluations - snap.state.seen.length;
      if (remaining <= 0) break;
      const rng = Rng.fromState(snap.rng);
      const genomes = algorithmNow().ask(snap.state, space, rng, remaining);
      const pending = genomes.map((genome, i) => ({ seq: snap.state.seen.length + i, generation: snap.state.generation, genome, key: space.key(genome) }));
      snap = { ...snap, rng: rng.state(), pending, savedAt: deps.now() };
      await deps.store.putSnapshot(snap);
    }
    for (const p of snap.pending) {
      if (done.has(p.seq)) continue;
      const interruption = deps.interruption();
      if (interruption) {
        await setStatus(deps, run, interruption);
        return interruption;
      }
      const lease = await deps.store.beginAttempt(run.id, p.seq, deps.writer, deps.now());
      const candidate = lease.attempts > MAX_ATTEMPTS
        ? { record: candidateRecord(run, p, { ok: false, failure: failure('interrupted-repeatedly', `${lease.attempts - 1} attempts were cut short`) }, null, 0, deps.now(), lease.attempts - 1, deps.writer) }
        : await evaluateUnderLease(run, p, lease.attempts, predict, await planOf(p.genome), deps);
      await deps.store.finishCandidate(candidate.record, candidate.weights);
      done.set(p.seq, candidate.record);
      deps.emit({ kind: 'candidate-done', candidate: candidate.record });
    }
    const evaluated = snap.pending.map((p) => ({ genome: p.genome, key: p.key, objectives: candidateObjectives(done.get(p.seq)!, config.objectives) }));
    snap = { ...snap, step: snap.step + 1, state: algorithmNow().tell(snap.state, evaluated), pending: [], savedAt: deps.now() };
    await deps.store.putSnapshot(snap);
  }
  run = await setStatus(deps, run, 'done');
  return run.status;
}

/** One attempt at a candidate while its lease's heartbeat runs; a pause or stop releases the lease uncounted. */
async function evaluateUnderLease(run: RunRecord, p: PendingCandidate, attempts: number, predict: Predictor | null, plan: TrainingPlan, deps: LoopDeps): Promise<Finished> {
  const stop = deps.every(HEARTBEAT_MS, () => void deps.store.heartbeat(run.id, p.seq, deps.now()));
  try {
    return await evaluatePending(run, p, attempts, predict, plan, deps);
  } catch (e) {
    if (e instanceof Interrupted) await deps.store.releaseAttempt(run.id, p.seq);
    throw e;
  } finally {
    stop();
  }
}

async function evaluatePending(run: RunRecord, pending: PendingCandidate, attempts: number, predict: Predictor | null, { promotion, inheritance }: TrainingPlan, deps: LoopDeps): Promise<Finished> {
  const limits = run.limits!;
  const fault = run.config.faults?.faults.find((f) => f.seq === pending.seq);
  // The out-of-memory fault swaps in a network no device can hold; the record keeps what was really tried.
  const p = fault?.kind === 'oversize' ? { ...pending, genome: oversizedGenome(pending.genome) } : pending;
  const { params, flops } = lowerGenome(p.genome, limits);
  const predicted = predict?.(p.genome) ?? null;
  deps.emit({ kind: 'candidate-start', runId: run.id, seq: p.seq, generation: p.generation, genome: p.genome, params, flops, predicted });
  const start = deps.now();
  const outcome = await deps.evaluator.evaluate(
    { genome: p.genome, limits, seed: deriveSeed(run.config.seed, p.seq), latencyRuns: run.config.latencyRuns, ...(fault ? { fault } : {}), ...(promotion ? { promotion } : {}), ...(inheritance ? { inherit: inheritance.layers } : {}), ...(run.config.inheritWeights ? { keepWeights: true } : {}) },
    {
      onBatch: (epoch, batch, batches) => deps.emit({ kind: 'progress', runId: run.id, seq: p.seq, epoch, epochs: p.genome.training.epochs, batch, batches }),
      onEpoch: (log) => deps.emit({ kind: 'epoch', runId: run.id, seq: p.seq, log }),
    },
  );
  const record = candidateRecord(run, p, outcome, predicted?.latencyMs ?? null, deps.now() - start, deps.now(), attempts, deps.writer, promotion);
  if (!outcome.ok) return { record };
  const inherited = inheritance && outcome.evaluation.inheritedLayers > 0 ? { inheritedFrom: { seq: inheritance.seq, layers: outcome.evaluation.inheritedLayers } } : {};
  return { record: { ...record, ...inherited }, ...(outcome.evaluation.weights ? { weights: outcome.evaluation.weights } : {}) };
}
