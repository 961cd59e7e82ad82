import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { DatasetPreview } from '../data/preview';
import type { StoredDatasetMeta } from '../data/stored';
import type { ExportedModel } from '../model/export';
import type { SearchApi } from '../../../workers/search.worker';
import { RUN_EVENTS_CHANNEL, type Role, type RunEvent, type RunEventListener } from '../run/events';
import type { CandidateRecord, DatasetChoice, FaultPlan, RunConfig, RunRecord, RunStatus } from '../records';
import type { Remeasure } from '../run/remeasure';
import type { CnnGenome } from '../genome/types';
import type { ThroughputResult } from '../evaluation/throughput';
import type { DeviceStatus } from '../share/deviceLoop';
import type { LabKey } from '../share/host';

/** The page's only way into the search: a lazily started worker behind Comlink. */
export class SearchClient {
  #api: Remote<SearchApi> | null = null;

  #worker(): Remote<SearchApi> {
    this.#api ??= wrap<SearchApi>(new Worker(new URL('../../../workers/search.worker.ts', import.meta.url), { type: 'module', name: 'search' }));
    return this.#api;
  }

  /** Trains and measures a fixed list of genomes through a fresh pool of `workers` (absent: the device's default). */
  benchThroughput(config: RunConfig, genomes: readonly CnnGenome[], workers?: number): Promise<ThroughputResult> {
    return this.#worker().benchThroughput(config, genomes, workers);
  }

  /** 'writer' if this tab drives runs; 'reader' while another tab of the app does. */
  claimWriter(): Promise<Role> {
    return this.#worker().claimWriter();
  }

  /** Resolves when this tab becomes the writer (the writing tab closed). */
  waitForWriter(): Promise<void> {
    return this.#worker().waitForWriter();
  }

  /** Follows the writing tab's run events (a read-only tab); returns the unsubscribe function. */
  follow(onEvent: RunEventListener): () => void {
    const channel = new BroadcastChannel(RUN_EVENTS_CHANNEL);
    channel.onmessage = (e: MessageEvent<RunEvent>) => onEvent(e.data);
    return () => channel.close();
  }

  listRuns(): Promise<RunRecord[]> {
    return this.#worker().listRuns();
  }

  runDetail(runId: string): Promise<{ run: RunRecord | undefined; candidates: CandidateRecord[] }> {
    return this.#worker().runDetail(runId);
  }

  start(config: RunConfig, onEvent: RunEventListener, faults?: FaultPlan): Promise<string> {
    return this.#worker().start(config, proxy(onEvent), faults);
  }

  /** Lets this tab host shared runs on a lab server (kept in the worker's memory only). */
  setLabKey(key: LabKey): Promise<void> {
    return this.#worker().setLabKey(key);
  }

  /** A join link for one more device of a shared run this tab hosts. */
  joinLink(runId: string, config: RunConfig, appUrl: string): Promise<string> {
    return this.#worker().joinLink(runId, config, appUrl);
  }

  /** Turns this tab into a device of the shared run in `link`; resolves with the candidates it finished once it leaves. */
  join(link: string, onStatus: (status: DeviceStatus) => void): Promise<number> {
    return this.#worker().join(link, proxy(onStatus));
  }

  leave(): Promise<number> {
    return this.#worker().leave();
  }

  /** Live tensors in the active run's training workers (the soak script's probe). */
  trainingMemory(): Promise<{ numTensors: number; numBytes: number; workers: number } | null> {
    return this.#worker().trainingMemory();
  }

  resume(runId: string, onEvent: RunEventListener): Promise<void> {
    return this.#worker().resume(runId, proxy(onEvent));
  }

  waitForEnd(): Promise<RunStatus | null> {
    return this.#worker().waitForEnd();
  }

  pause(): Promise<RunStatus | null> {
    return this.#worker().interrupt('paused');
  }

  stop(): Promise<RunStatus | null> {
    return this.#worker().interrupt('stopped');
  }

  exportRun(runId: string): Promise<string | null> {
    return this.#worker().exportRun(runId);
  }

  importRun(text: string, sizeBytes: number): Promise<{ ok: true; runId: string } | { ok: false; message: string }> {
    return this.#worker().importRun(text, sizeBytes);
  }

  listDatasets(): Promise<StoredDatasetMeta[]> {
    return this.#worker().listDatasets();
  }

  /** Hands the files' bytes to the worker (transferred, not copied) to parse and store. */
  importDataset(
    files: { name: string; path: string; bytes: Uint8Array }[],
    name: string,
    imageSide: number | null = null,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ ok: true; meta: StoredDatasetMeta } | { ok: false; message: string }> {
    return this.#worker().importDataset(
      transfer(
        files,
        files.map((f) => f.bytes.buffer as ArrayBuffer),
      ),
      name,
      imageSide,
      onProgress && proxy(onProgress),
    );
  }

  previewDataset(choice: DatasetChoice): Promise<{ ok: true; preview: DatasetPreview } | { ok: false; message: string }> {
    return this.#worker().previewDataset(choice);
  }

  /** Retrains a candidate in its own worker and returns its TF.js model files. */
  exportModel(runId: string, seq: number, onBatch?: (epoch: number, batch: number, batches: number) => void): Promise<ExportedModel> {
    return this.#worker().exportModel(runId, seq, onBatch && proxy(onBatch));
  }

  /** Retrains a candidate on the whole training split and scores it on the test split; progress comes back by callback. */
  retrainFull(
    runId: string,
    seq: number,
    epochs: number,
    onBatch: (epoch: number, batch: number, batches: number) => void,
  ): Promise<{ candidate: CandidateRecord; model: ExportedModel }> {
    return this.#worker().retrainFull(runId, seq, epochs, proxy(onBatch));
  }

  saveRemeasure(runId: string, remeasure: Remeasure): Promise<RunRecord> {
    return this.#worker().saveRemeasure(runId, remeasure);
  }

  deleteRun(runId: string): Promise<void> {
    return this.#worker().deleteRun(runId);
  }
}

/** The client's public calls, as a type a test's fake can implement (the class itself has private state). */
export type SearchPort = Pick<SearchClient, keyof SearchClient>;
