/// <reference lib="webworker" />
import { expose, proxy, transfer, wrap } from 'comlink';
import { deriveSeed } from '../src/lib/core/rng';
import type { ExportedModel } from '../src/lib/model/export';
import type { TrainingApi } from './train.worker';
import { newRunId } from '../src/lib/core/ids';
import { RUN_EVENTS_CHANNEL, type RunEventListener } from '../src/lib/run/events';
import { checkConfig } from '../src/lib/run/config';
import { runSearch } from '../src/lib/run/loop';
import type { CandidateRecord, RunConfig, RunRecord, RunStatus } from '../src/lib/run/records';
import { idbRunStore } from '../src/lib/store';
import { candidatesOf, saveFullRetrain } from '../src/lib/store/candidates';
import { addRemeasure, deleteRun, getRun, listRuns, putRun } from '../src/lib/store/runs';
import type { Remeasure } from '../src/lib/run/remeasure';
import { WorkerEvaluator } from './trainingClient';
import { bundleJson, parseBundle } from '../src/lib/bundle/bundle';
import { exportRun, importRun } from '../src/lib/store/bundles';
import { listDatasets, putDataset } from '../src/lib/store/datasets';
import { datasetFromFiles } from '../src/lib/data/files';
import { datasetFromImages, IMAGE_FILE } from '../src/lib/data/images';
import { metaOf, newDatasetId, type StoredDatasetMeta } from '../src/lib/data/stored';
import { assertWriter, claimWriter, waitForWriter } from './writerLock';
import { loadDataset } from './datasets';
import { previewOf, type DatasetPreview } from '../src/lib/data/preview';
import type { DatasetChoice } from '../src/lib/run/records';

const broadcast = new BroadcastChannel(RUN_EVENTS_CHANNEL);

interface Active {
  readonly runId: string;
  readonly evaluator: WorkerEvaluator;
  requested: 'paused' | 'stopped' | null;
  readonly finished: Promise<RunStatus>;
}

let active: Active | null = null;
/** This tab's id as a writer, stamped on its leases and candidates. */
const WRITER_ID = `tab-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 4).toString(36)}`;

function drive(runId: string, onEvent: RunEventListener): Active {
  if (active) throw new Error(`Run ${active.runId} is still running here; pause or stop it first.`);
  const evaluator = new WorkerEvaluator();
  const state: Active = {
    runId,
    evaluator,
    requested: null,
    finished: runSearch(runId, {
      store: idbRunStore,
      evaluator,
      emit: (e) => {
        void onEvent(e);
        broadcast.postMessage(e);
      },
      interruption: () => state.requested,
      now: () => Date.now(),
      writer: WRITER_ID,
      every: (ms, beat) => {
        const timer = setInterval(beat, ms);
        return () => clearInterval(timer);
      },
    }).finally(() => {
      evaluator.terminate();
      if (active === state) active = null;
    }),
  };
  active = state;
  return state;
}

/** The search worker's API: the run loop and its storage live here; the page only calls in. */
/** Passes a (done, total) progress on at most every 200 ms, and at the end. */
function everyFew(listener?: (done: number, total: number) => void): ((done: number, total: number) => void) | undefined {
  let last = 0;
  return listener && ((done, total) => {
    const now = performance.now();
    if (now - last < 200 && done < total) return;
    last = now;
    void listener(done, total);
  });
}

const api = {
  /** 'writer' when this tab may drive runs; 'reader' while another tab does. */
  claimWriter,
  /** Resolves when the writing tab closes and this one takes over. */
  waitForWriter,
  listRuns,
  async runDetail(runId: string) {
    return { run: await getRun(runId), candidates: await candidatesOf(runId) };
  },
  /** Creates a run and starts it; resolves with its id once it is stored (the search goes on). */
  async start(requested: RunConfig, onEvent: RunEventListener): Promise<string> {
    await assertWriter();
    if (active) throw new Error('A search is already running in this tab; pause or stop it first.');
    const { problems, config } = checkConfig(requested);
    if (problems.length) throw new Error(problems.join(' '));
    const now = Date.now();
    const run: RunRecord = {
      id: newRunId(now, Math.random), createdAt: now, updatedAt: now, config, status: 'running',
      limits: null, backend: null, device: null, costProfileId: null, userAgent: navigator.userAgent, message: null,
    };
    await putRun(run);
    drive(run.id, onEvent);
    return run.id;
  },
  async resume(runId: string, onEvent: RunEventListener): Promise<void> {
    await assertWriter();
    // a page that loads while its own Start is already driving the run asks to resume it: nothing to do
    if (active?.runId === runId) return;
    drive(runId, onEvent);
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
  /** The run as bundle JSON (one file: run, snapshot, candidates), or null when there is no such run. */
  async exportRun(runId: string): Promise<string | null> {
    const bundle = await exportRun(runId, Date.now());
    return bundle ? bundleJson(bundle) : null;
  },
  /** Validates a bundle file's text and stores it whole; the message says what was wrong otherwise. */
  async importRun(text: string, sizeBytes: number): Promise<{ ok: true; runId: string } | { ok: false; message: string }> {
    await assertWriter();
    const parsed = parseBundle(text, sizeBytes);
    if (!parsed.ok) return { ok: false, message: parsed.error.message };
    const stored = await importRun(parsed.value);
    return stored.ok ? { ok: true, runId: parsed.value.run.id } : stored;
  },
  listDatasets,
  /** Images per class and a few images of each, for a look at a dataset before searching it. */
  async previewDataset(choice: DatasetChoice): Promise<{ ok: true; preview: DatasetPreview } | { ok: false; message: string }> {
    const loaded = await loadDataset(choice);
    if (!loaded.ok) return { ok: false, message: loaded.error.message };
    const preview = previewOf(loaded.value.dataset);
    return transfer({ ok: true, preview }, preview.samples.map((s) => s.pixels.buffer as ArrayBuffer));
  },
  /**
   * Retrains a stored candidate (same genome, seed and data as in its run) in a training worker of its own,
   * so a running search is not disturbed, and returns it as TF.js model files.
   */
  async exportModel(runId: string, seq: number, onBatch?: (epoch: number, batch: number, batches: number) => void): Promise<ExportedModel> {
    const run = await getRun(runId);
    const candidate = (await candidatesOf(runId)).find((c) => c.seq === seq);
    if (!run?.limits || !candidate) throw new Error(`Candidate ${seq} of run ${runId} is not stored here.`);
    const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'export' });
    try {
      const training = wrap<TrainingApi>(worker);
      await training.prepare(run.config, {});
      const exported = await training.exportModel(candidate.genome, run.limits, deriveSeed(run.config.seed, seq), onBatch && proxy(onBatch));
      return transfer(exported, [exported.weights]);
    } finally {
      worker.terminate();
    }
  },
  /**
   * Trains a stored candidate again on the whole training split for `epochs` epochs (in a training worker of
   * its own, so a running search is not disturbed), scores it on the test split, stores that on the candidate
   * and returns the record with the model files.
   */
  async retrainFull(runId: string, seq: number, epochs: number, onBatch: (epoch: number, batch: number, batches: number) => void): Promise<{ candidate: CandidateRecord; model: ExportedModel }> {
    await assertWriter();
    const run = await getRun(runId);
    const candidate = (await candidatesOf(runId)).find((c) => c.seq === seq);
    if (!run?.limits || !candidate) throw new Error(`Candidate ${seq} of run ${runId} is not stored here.`);
    if (!(Number.isInteger(epochs) && epochs >= 1 && epochs <= 100)) throw new Error(`Epochs must be a whole number from 1 to 100; got ${epochs}.`);
    const worker = new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'retrain' });
    try {
      const training = wrap<TrainingApi>(worker);
      await training.prepare(run.config, {});
      const genome = { ...candidate.genome, training: { ...candidate.genome.training, epochs } };
      const r = await training.retrainFull(run.config, genome, run.limits, deriveSeed(run.config.seed, seq), proxy(onBatch));
      const fullRetrain = { testAccuracy: r.model.accuracy, testImages: r.testImages, trainImages: r.trainImages, epochs, backend: r.backend, trainMs: r.trainMs, at: Date.now() };
      const updated = await saveFullRetrain(candidate.id, fullRetrain);
      if (!updated) throw new Error(`Candidate ${seq} was deleted while it retrained.`);
      return transfer({ candidate: updated, model: r.model }, [r.model.weights]);
    } finally {
      worker.terminate();
    }
  },
  /**
   * Reads a person's dataset files (IDX, CSV, CIFAR-10/100 binary, or a folder of class folders of images,
   * resized to imageSide x imageSide when given) and stores the dataset; a bad file is refused with a
   * message naming it, and nothing is stored.
   */
  async importDataset(files: readonly { name: string; path: string; bytes: Uint8Array }[], name: string, imageSide: number | null = null, onProgress?: (done: number, total: number) => void): Promise<{ ok: true; meta: StoredDatasetMeta } | { ok: false; message: string }> {
    await assertWriter();
    // a chosen folder (paths like "cat/1.png") holds images; loose files are dataset files
    const images = files.every((f) => f.path.includes('/')) && files.some((f) => IMAGE_FILE.test(f.name));
    const parsed = images
      ? await datasetFromImages(files.map((f) => ({ path: f.path, blob: new Blob([f.bytes as Uint8Array<ArrayBuffer>]) })), name, imageSide, everyFew(onProgress))
      : await datasetFromFiles(files, name);
    if (!parsed.ok) return { ok: false, message: parsed.error.message };
    const meta = metaOf(newDatasetId(Date.now(), Math.random), parsed.value, files.map((f) => f.path), Date.now());
    await putDataset(meta, parsed.value);
    return { ok: true, meta };
  },
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
