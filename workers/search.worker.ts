/// <reference lib="webworker" />
import { expose } from 'comlink';
import { newRunId } from '../src/lib/core/ids';
import { RUN_EVENTS_CHANNEL, type RunEvent, type RunEventListener } from '../src/lib/run/events';
import { checkConfig } from '../src/lib/run/config';
import { runSearch } from '../src/lib/run/loop';
import type { FaultPlan, RunConfig, RunRecord, RunStatus } from '../src/lib/records';
import { idbRunStore } from '../src/lib/store';
import { candidatesOf } from '../src/lib/store/candidates';
import { addRemeasure, deleteRun, getRun, listRuns, putRun } from '../src/lib/store/runs';
import type { Remeasure } from '../src/lib/run/remeasure';
import { WorkerPool } from '../src/lib/evaluation/pool';
import { bundleJson, parseBundle } from '../src/lib/bundle/bundle';
import { exportRun, importRun } from '../src/lib/store/bundles';
import { assertWriter, claimWriter, waitForWriter } from './writerLock';
import { candidateApi } from './candidateApi';
import { datasetApi } from './datasetApi';
import { throughputApi } from './throughputApi';
import { measureFrontOnDevices, shareApi, sharedEvaluatorFor } from './shareApi';
import { SharedEvaluator } from '../src/lib/share/sharedEvaluator';
import type { Evaluator } from '../src/lib/run/evaluator';

const broadcast = new BroadcastChannel(RUN_EVENTS_CHANNEL);

type RunEvaluator = Evaluator & { interrupt(): void; terminate(): void };

interface Active {
  readonly runId: string;
  readonly evaluator: RunEvaluator;
  requested: 'paused' | 'stopped' | null;
  readonly finished: Promise<RunStatus>;
}

let active: Active | null = null;
/** This tab's id as a writer, stamped on its leases and candidates. */
const WRITER_ID = `tab-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;

/** A local run trains on this device's pool; a shared one hands candidates to the lab's devices. */
async function evaluatorFor(runId: string, faults: FaultPlan | undefined): Promise<RunEvaluator> {
  const run = await getRun(runId);
  const share = run?.config.share;
  return run && share ? sharedEvaluatorFor(runId, { ...run.config, share }) : new WorkerPool(faults?.watchdogMs);
}

async function drive(runId: string, onEvent: RunEventListener, faults?: FaultPlan): Promise<Active> {
  if (active) throw new Error(`Run ${active.runId} is still running here; pause or stop it first.`);
  const evaluator = await evaluatorFor(runId, faults);
  if (active) {
    evaluator.terminate();
    throw new Error(`Run ${(active as Active).runId} is still running here; pause or stop it first.`);
  }
  const emit = (e: RunEvent): void => {
    void onEvent(e);
    broadcast.postMessage(e);
  };
  const state: Active = {
    runId,
    evaluator,
    requested: null,
    finished: runSearch(runId, {
      store: idbRunStore,
      evaluator,
      emit,
      interruption: () => state.requested,
      now: () => Date.now(),
      writer: WRITER_ID,
      ...(faults ? { faults } : {}),
    })
      .then(async (status) => {
        if (!(evaluator instanceof SharedEvaluator)) return status;
        // a shared run that is done has its front measured on every device serving it, then ...
        if (status === 'done') {
          const updated = await measureFrontOnDevices(runId, evaluator).catch(() => null);
          if (updated) emit({ kind: 'run', run: updated });
        }
        // ... takes its streams off the lab server once over: its devices stop and leave
        if (status === 'done' || status === 'stopped') await evaluator.end().catch(() => undefined);
        return status;
      })
      .finally(() => {
        evaluator.terminate();
        if (active === state) active = null;
      }),
  };
  active = state;
  return state;
}

/** The search worker's API: the run loop and its storage live here; the page only calls in. */
const api = {
  /** 'writer' when this tab may drive runs; 'reader' while another tab does. */
  claimWriter,
  /** Resolves when the writing tab closes and this one takes over. */
  waitForWriter,
  listRuns,
  async runDetail(runId: string) {
    return { run: await getRun(runId), candidates: await candidatesOf(runId) };
  },
  /**
   * Creates a run and starts it; resolves with its id once it is stored (the search goes on). `faults` is for
   * fault-injection tests (the headless page); it is not stored with the run.
   */
  async start(requested: RunConfig, onEvent: RunEventListener, faults?: FaultPlan): Promise<string> {
    await assertWriter();
    if (active) throw new Error('A search is already running in this tab; pause or stop it first.');
    const { problems, config } = checkConfig(requested);
    if (problems.length) throw new Error(problems.join(' '));
    if (config.share && !shareApi.canHost()) throw new Error('A shared run needs the lab key (host-key.json from npm run lab -- start); nothing was stored.');
    const now = Date.now();
    const run: RunRecord = {
      id: newRunId(now, Math.random),
      createdAt: now,
      updatedAt: now,
      config,
      status: 'running',
      limits: null,
      backend: null,
      device: null,
      costProfileId: null,
      userAgent: navigator.userAgent,
      message: null,
    };
    await putRun(run);
    await drive(run.id, onEvent, faults);
    return run.id;
  },
  async resume(runId: string, onEvent: RunEventListener): Promise<void> {
    await assertWriter();
    // a page that loads while its own Start is already driving the run asks to resume it: nothing to do
    if (active?.runId === runId) return;
    await drive(runId, onEvent);
  },
  /** Resolves when the active run has ended (done, paused, stopped or failed). */
  async waitForEnd(): Promise<RunStatus | null> {
    return active ? active.finished : null;
  },
  async interrupt(kind: 'paused' | 'stopped'): Promise<RunStatus | null> {
    if (!active) return null;
    active.requested = kind;
    active.evaluator.interrupt();
    return active.finished;
  },
  activeRunId: () => active?.runId ?? null,
  /** The active local run's training workers: live tensors and bytes (null for none, or a shared run). */
  trainingMemory: async () => (active?.evaluator instanceof WorkerPool ? active.evaluator.memory() : null),
  /** The run as bundle JSON (one file: run, snapshot, candidates), or null when there is no such run. */
  async exportRun(runId: string): Promise<string | null> {
    const bundle = await exportRun(runId, Date.now());
    return bundle ? bundleJson(bundle) : null;
  },
  /** Validates a bundle file's text and stores it whole; the message says what was wrong otherwise. */
  async importRun(text: string, sizeBytes: number): Promise<{ ok: true; runId: string } | { ok: false; message: string }> {
    await assertWriter();
    const parsed = parseBundle(text, sizeBytes, Date.now());
    if (!parsed.ok) return { ok: false, message: parsed.error.message };
    const stored = await importRun(parsed.value);
    return stored.ok ? { ok: true, runId: parsed.value.run.id } : stored;
  },
  ...datasetApi,
  ...throughputApi,
  ...candidateApi,
  ...shareApi,
  /** Stores a re-measurement of a run's front (not of the run this tab is driving: its record is in flux). */
  async saveRemeasure(runId: string, remeasure: Remeasure): Promise<RunRecord> {
    await assertWriter();
    if (active?.runId === runId) throw new Error('This run is running; re-measure its front once it has finished or paused.');
    const updated = await addRemeasure(runId, remeasure);
    if (!updated) throw new Error(`Run ${runId} is no longer stored here.`);
    return updated;
  },
  async deleteRun(runId: string) {
    await assertWriter();
    if (active?.runId === runId) throw new Error('This run is running; stop it before deleting it.');
    await deleteRun(runId);
  },
};

export type SearchApi = typeof api;
expose(api);
