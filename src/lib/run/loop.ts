import { candidateId } from '../core/ids';
import { deriveSeed, Rng } from '../core/rng';
import { lowerGenome } from '../genome/graph';
import { energyFromLatency } from '../energy/energy';
import { initialState } from '../search/algorithm';
import { objectiveVector } from '../search/objectives';
import { makeAlgorithm } from '../search/registry';
import { cnnSpace } from '../search/spaces/cnn';
import { limitsFor } from './config';
import type { RunEventListener } from './events';
import { Interrupted, type EvaluateOutcome, type Evaluator } from './evaluator';
import type { CandidateRecord, PendingCandidate, RunRecord, RunStatus, SnapshotRecord } from './records';
import type { RunStore } from './store';

export interface LoopDeps {
  readonly store: RunStore;
  readonly evaluator: Evaluator;
  readonly emit: RunEventListener;
  /** Checked between candidates; a pause or stop during a candidate arrives as `Interrupted`. */
  readonly interruption: () => 'paused' | 'stopped' | null;
  readonly now: () => number;
}

function candidateRecord(run: RunRecord, p: PendingCandidate, outcome: EvaluateOutcome, totalMs: number, now: number): CandidateRecord {
  const limits = run.limits!;
  const { params, flops } = lowerGenome(p.genome, limits);
  const base = { id: candidateId(run.id, p.seq), runId: run.id, seq: p.seq, generation: p.generation, genome: p.genome, key: p.key, backend: run.backend?.name ?? null, finishedAt: now };
  if (!outcome.ok) {
    return {
      ...base, status: 'failed', failure: outcome.failure, energy: null, history: [], leakedTensors: 0,
      metrics: { accuracy: NaN, valLoss: NaN, params, flops, latencyMs: NaN, latencyP25Ms: NaN, latencyP75Ms: NaN, coldLatencyMs: NaN, energyMj: NaN },
      timings: { trainMs: 0, measureMs: 0, totalMs },
    };
  }
  const e = outcome.evaluation;
  const energy = energyFromLatency(e.latency.medianMs, run.config.power);
  return {
    ...base, status: 'done', failure: null, energy, history: e.history, leakedTensors: e.leakedTensors,
    metrics: {
      accuracy: e.accuracy, valLoss: e.valLoss, params, flops,
      latencyMs: e.latency.medianMs, latencyP25Ms: e.latency.p25Ms, latencyP75Ms: e.latency.p75Ms, coldLatencyMs: e.latency.coldMs,
      energyMj: energy.mj,
    },
    timings: { trainMs: e.trainMs, measureMs: e.measureMs, totalMs },
  };
}

/** Objective vector of a finished candidate; a failed one is worse than anything in every objective. */
export function candidateObjectives(c: CandidateRecord, objectives: RunRecord['config']['objectives']): number[] {
  return c.status === 'failed' ? objectives.map(() => Infinity) : objectiveVector(c.metrics, objectives);
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
  run = await setStatus(deps, run, 'running');
  try {
    const prepared = await deps.evaluator.prepare(run.config);
    const d = prepared.dataset;
    run = { ...run, backend: prepared.backend, limits: run.limits ?? limitsFor(run.config, { height: d.height, width: d.width, channels: d.channels, classes: d.classNames.length }) };
    await deps.store.putRun(run);
    deps.emit({ kind: 'backend', runId, backend: prepared.backend });
    return await loop(run, deps);
  } catch (e) {
    if (e instanceof Interrupted) {
      await setStatus(deps, run, deps.interruption() ?? 'paused');
      return deps.interruption() ?? 'paused';
    }
    await setStatus(deps, run, 'failed', e instanceof Error ? e.message : String(e));
    return 'failed';
  }
}

async function loop(initialRun: RunRecord, deps: LoopDeps): Promise<RunStatus> {
  let run = initialRun;
  const { config } = run;
  const space = cnnSpace(run.limits!);
  const algorithm = makeAlgorithm(config.algorithm, config.populationSize);
  let snap: SnapshotRecord = (await deps.store.getSnapshot(run.id)) ?? {
    runId: run.id, step: 0, state: initialState(config.algorithm), rng: Rng.fromSeed(config.seed).state(), pending: [], savedAt: deps.now(),
  };
  const done = new Map((await deps.store.candidatesOf(run.id)).map((c) => [c.seq, c]));
  for (;;) {
    if (snap.pending.length === 0) {
      const remaining = config.evaluations - snap.state.seen.length;
      if (remaining <= 0) break;
      const rng = Rng.fromState(snap.rng);
      const genomes = algorithm.ask(snap.state, space, rng, remaining);
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
      const candidate = await evaluatePending(run, p, deps);
      await deps.store.putCandidate(candidate);
      done.set(p.seq, candidate);
      deps.emit({ kind: 'candidate-done', candidate });
    }
    const evaluated = snap.pending.map((p) => ({ genome: p.genome, key: p.key, objectives: candidateObjectives(done.get(p.seq)!, config.objectives) }));
    snap = { ...snap, step: snap.step + 1, state: algorithm.tell(snap.state, evaluated), pending: [], savedAt: deps.now() };
    await deps.store.putSnapshot(snap);
  }
  run = await setStatus(deps, run, 'done');
  return run.status;
}

async function evaluatePending(run: RunRecord, p: PendingCandidate, deps: LoopDeps): Promise<CandidateRecord> {
  const limits = run.limits!;
  const { params, flops } = lowerGenome(p.genome, limits);
  deps.emit({ kind: 'candidate-start', runId: run.id, seq: p.seq, generation: p.generation, genome: p.genome, params, flops });
  const start = deps.now();
  const outcome = await deps.evaluator.evaluate(
    { genome: p.genome, limits, seed: deriveSeed(run.config.seed, p.seq), latencyRuns: run.config.latencyRuns },
    {
      onBatch: (epoch, batch, batches) => deps.emit({ kind: 'progress', runId: run.id, seq: p.seq, epoch, epochs: p.genome.training.epochs, batch, batches }),
      onEpoch: (log) => deps.emit({ kind: 'epoch', runId: run.id, seq: p.seq, log }),
    },
  );
  return candidateRecord(run, p, outcome, deps.now() - start, deps.now());
}
