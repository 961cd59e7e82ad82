import { Rng } from '../core/rng';
import { deviceKey } from '../measure/manifest';
import { initialState } from '../search/algorithm';
import { constrainedSpace } from '../search/constrained';
import { makeAlgorithm } from '../search/registry';
import { cnnSpace } from '../search/spaces/cnn';
import { attempt } from './attempt';
import { candidateObjectives } from './candidate';
import { limitsFor } from './config';
import { Interrupted } from './evaluator';
import { isQuotaError, QUOTA_MESSAGE } from './failures';
import { budgetViolation, freeCosts, predictorFor } from './predict';
import { searchPredictor, searchSamplesOf } from './latencyModel';
import type { CostProfile } from '../measure/profile';
import type { CandidateRecord, RunRecord, RunStatus, SnapshotRecord } from '../records';
import { scheduleFor, toldOf } from './schedule';
import type { LoopDeps } from './ports';
import { trainingPlanner } from './trainingPlan';

export { candidateObjectives } from './candidate';
export type { LoopDeps } from './ports';

async function setStatus(deps: LoopDeps, run: RunRecord, status: RunStatus, message: string | null = null): Promise<RunRecord> {
  const next = { ...run, status, message, updatedAt: deps.now() };
  await deps.store.putRun(next);
  deps.emit({ kind: 'run', run: next });
  return next;
}

/**
 * Runs (or resumes) a search until its evaluation budget (or its wall-clock budget) is spent, it is
 * interrupted, or it fails. Every decision comes from the snapshot's RNG state and the stored candidates, so
 * a resumed run takes exactly the steps an uninterrupted one would have taken with the same pool size.
 */
export async function runSearch(runId: string, deps: LoopDeps): Promise<RunStatus> {
  let run = await deps.store.getRun(runId);
  if (!run) throw new Error(`There is no run ${runId} in this browser's storage.`);
  try {
    run = await setStatus(deps, run, 'running');
    const prepared = await deps.evaluator.prepare(run.config, run.workers);
    const d = prepared.dataset;
    const profile = await deps.store.getProfile(deviceKey(prepared.manifest));
    run = {
      ...run,
      backend: prepared.backend,
      training: prepared.training,
      device: prepared.manifest,
      costProfileId: profile?.id ?? null,
      // the pool size is part of what the search decides by: fixed at the run's first start
      workers: run.workers ?? prepared.workers ?? 1,
      limits: run.limits ?? limitsFor(run.config, { height: d.height, width: d.width, channels: d.channels, classes: d.classNames.length }, d.trainImages),
    };
    await deps.store.putRun(run);
    deps.emit({ kind: 'backend', runId, backend: prepared.backend, workers: run.workers ?? 1 });
    return await loop(run, profile ?? null, deps);
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

/**
 * The only place that drives ask/tell. Up to `run.workers` candidates train at once (fewer while the evaluator's
 * capacity says so, as a shared run with few devices does); the schedule says when
 * to tell finished ones and ask for more, and the snapshot is stored after every tell and ask.
 */
async function loop(initialRun: RunRecord, profile: CostProfile | null, deps: LoopDeps): Promise<RunStatus> {
  let run = initialRun;
  const { config } = run;
  const workers = run.workers ?? 1;
  const capacity = deps.evaluator.capacity;
  const slots = () => (capacity ? Math.max(1, Math.min(workers, capacity.now())) : workers);
  const schedule = scheduleFor(workers, slots);
  const budgeted = config.budget.maxLatencyMs !== null || config.budget.maxEnergyMj !== null;
  const predict = profile ? predictorFor(profile, run.limits!, config.power) : null;
  // latency (and energy) predicted from the calibration refined with the candidates measured so far
  const predictFrom = searchPredictor(profile, run.limits!, config.power, run.createdAt);
  // Offspring over the latency / energy budget are redrawn before training when this device is calibrated.
  const space = predict && budgeted ? constrainedSpace(cnnSpace(run.limits!), (g) => budgetViolation(predict(g), config.budget)) : cnnSpace(run.limits!);
  let snap: SnapshotRecord = (await deps.store.getSnapshot(run.id)) ?? {
    runId: run.id,
    step: 0,
    state: initialState(config.algorithm),
    rng: Rng.fromSeed(config.seed).state(),
    pending: [],
    told: [],
    savedAt: deps.now(),
  };
  const done = new Map((await deps.store.candidatesOf(run.id)).map((c) => [c.seq, c]));
  const recordsOf = (seqs: readonly number[]): CandidateRecord[] => seqs.flatMap((s) => done.get(s) ?? []);
  // "ours" screens offspring on their free costs, which depend on what the search has been told so far
  const algorithmNow = () =>
    makeAlgorithm(
      config.algorithm,
      config.populationSize,
      config.algorithm === 'ours'
        ? { costs: freeCosts(config.objectives, run.limits!, config.power, predictFrom(recordsOf(toldOf(snap))), recordsOf(toldOf(snap))), errorToPercent: 100 }
        : undefined,
    );
  const planOf = trainingPlanner(run, predictFrom, deps.store);
  const sessionStart = deps.now();
  const activeBefore = run.activeMs ?? 0; // earlier sessions' running time
  const deadline = config.maxMinutes ? sessionStart + config.maxMinutes * 60_000 - activeBefore : Infinity;
  const activeMs = () => activeBefore + deps.now() - sessionStart;

  const running = new Map<number, Promise<void>>();
  /** Why no new candidate starts: the user, the wall-clock budget, or an error to rethrow once all have settled. */
  let halt: 'paused' | 'stopped' | 'minutes' | null = null;
  let error: unknown = null;
  const start = (p: SnapshotRecord['pending'][number]) => {
    const known = () => recordsOf(schedule.knownWhenAsked(p.seq, [...done.keys()]));
    const plan = () => planOf(p.genome, known());
    const task = attempt(run, p, (g) => predictFrom(known())?.(g) ?? null, plan, deps)
      .then(async (finished) => {
        await deps.store.finishCandidate(finished.record, finished.weights);
        done.set(p.seq, finished.record);
        deps.emit({ kind: 'candidate-done', candidate: finished.record });
        if (config.maxMinutes) await deps.store.putRun((run = { ...run, activeMs: activeMs() }));
      })
      .catch((e: unknown) => {
        if (e instanceof Interrupted) halt ??= deps.interruption() ?? 'paused';
        else error ??= e;
      })
      .finally(() => running.delete(p.seq));
    running.set(p.seq, task);
  };

  for (;;) {
    if (!halt && !error) halt = deps.interruption() ?? (deps.now() >= deadline ? 'minutes' : null);
    if (!halt && !error) {
      for (const p of snap.pending) if (running.size < slots() && !done.has(p.seq) && !running.has(p.seq)) start(p);
      if (running.size < slots()) {
        const move = schedule.next({
          snapshot: snap,
          finished: (seq) => done.has(seq),
          evaluations: config.evaluations,
          populationSize: config.populationSize,
        });
        if (move.kind === 'tell') {
          const evaluated = move.seqs.map((seq) => {
            const p = snap.pending.find((q) => q.seq === seq)!;
            return { genome: p.genome, key: p.key, objectives: candidateObjectives(done.get(seq)!, config.objectives) };
          });
          const state = algorithmNow().tell(snap.state, evaluated);
          snap = {
            ...snap,
            step: snap.step + 1,
            state,
            pending: snap.pending.filter((p) => !move.seqs.includes(p.seq)),
            told: [...toldOf(snap), ...move.seqs],
            savedAt: deps.now(),
          };
          await deps.store.putSnapshot(snap);
          continue;
        }
        if (move.kind === 'ask') {
          const rng = Rng.fromState(snap.rng);
          const asked = toldOf(snap).length + snap.pending.length;
          // what is in flight counts as seen, so nothing is asked for twice
          const view = { ...snap.state, seen: [...snap.state.seen, ...snap.pending.map((p) => p.key)] };
          const genomes = algorithmNow().ask(view, space, rng, Math.min(move.count, config.evaluations - asked));
          const fresh = genomes.map((genome, i) => ({ seq: asked + i, generation: move.generation, genome, key: space.key(genome) }));
          snap = { ...snap, rng: rng.state(), pending: [...snap.pending, ...fresh], savedAt: deps.now() };
          await deps.store.putSnapshot(snap);
          if (fresh.length > 0) continue;
        }
        if (running.size === 0 && (move.kind === 'end' || move.kind === 'ask')) break;
      }
    }
    if (running.size === 0) break;
    // a shared run's devices may join meanwhile: more capacity starts more candidates without waiting for one to end
    await Promise.race([...running.values(), ...(capacity ? [capacity.changed()] : [])]);
  }
  if (error) throw error;
  run = { ...run, activeMs: activeMs() };
  if (halt === 'paused' || halt === 'stopped') {
    await setStatus(deps, run, halt);
    return halt;
  }
  // the next runs on this device start from a model refined with these candidates (kept before the run shows as
  // done); the run itself loses nothing if this fails (a full disk), so it ends done either way
  if (profile) await deps.store.keepSearchSamples(profile.id, searchSamplesOf(run.id, run.limits!, [...done.values()], deps.now())).catch(() => undefined);
  run = await setStatus(deps, run, 'done');
  return run.status;
}
