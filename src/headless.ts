/**
 * Entry for the headless runner (scripts/search.ts): the same search worker as the UI, driven from
 * Playwright through `window.evonas`; events go to the `evonasEvent` binding the runner exposes.
 */
import { MeasureClient } from './lib/bridge/measureClient';
import { datasetNameOf } from './lib/data/stored';
import { SearchClient } from './lib/bridge/searchClient';
import type { CalibrationOptions, CalibrationProgress } from './lib/measure/calibrate';
import type { TrainBenchOptions } from './lib/measure/trainbench';
import type { BackendName, BackendPreference } from './lib/model/backend';
import { paretoChart, standaloneSvg } from './lib/plot/charts';
import { frontIds } from './lib/run/analysis';
import type { RunEvent } from './lib/run/events';
import type { FaultPlan, RunConfig } from './lib/records';
import type { ObjectiveId } from './lib/search/objectives';
import type { CnnGenome } from './lib/genome/types';
import type { DeviceStatus } from './lib/share/deviceLoop';
import type { LabKey } from './lib/share/host';

declare global {
  interface Window {
    evonasEvent?: (event: RunEvent) => void;
    evonasProgress?: (progress: CalibrationProgress) => void;
    evonasDeviceStatus?: (status: DeviceStatus) => void;
    evonas: typeof headlessApi;
  }
}

const client = new SearchClient();
const forward = (event: RunEvent): void => void window.evonasEvent?.(event);

const headlessApi = {
  /**
   * Starts a run; refused (with the reason) while another tab of the app is the writer. A shared run needs the
   * lab key. `faults`: the one way in for fault-injection tests; never stored with the run.
   */
  async start(config: RunConfig, labKey?: LabKey, faults?: FaultPlan) {
    await client.claimWriter();
    if (labKey) await client.setLabKey(labKey);
    return client.start(config, forward, faults);
  },
  async resume(runId: string, labKey?: LabKey) {
    await client.claimWriter();
    if (labKey) await client.setLabKey(labKey);
    return client.resume(runId, forward);
  },
  /** A join link for a device of the shared run this page hosts (`npm run search -- --share`). */
  joinLink: async (runId: string) => {
    const { run } = await client.runDetail(runId);
    if (!run) throw new Error(`no run ${runId}`);
    return client.joinLink(runId, run.config, new URL('/', location.href).href);
  },
  /** Serves the shared run of a join link from this page until it is left (`npm run lab -- worker`). */
  join: (link: string) => client.join(link, (status) => void window.evonasDeviceStatus?.(status)),
  leave: () => client.leave(),
  waitForEnd: () => client.waitForEnd(),
  /** Live tensors of the active run's training workers, IndexedDB's usage and this page's JS heap (`npm run soak`). */
  async probe() {
    const nav = performance as Performance & { memory?: { usedJSHeapSize: number } };
    const storage = await navigator.storage.estimate();
    return { training: await client.trainingMemory(), storageBytes: storage.usage ?? null, heapBytes: nav.memory?.usedJSHeapSize ?? null };
  },
  /** Imports dataset files served on this origin (the CLI's --dataset-file) through the app's own worker. */
  async importDataset(files: readonly { name: string; url: string; path?: string }[]) {
    await client.claimWriter();
    const payload = await Promise.all(
      files.map(async (f) => ({ name: f.name, path: f.path ?? f.name, bytes: new Uint8Array(await (await fetch(f.url)).arrayBuffer()) })),
    );
    return client.importDataset(payload, datasetNameOf(files[0]?.name ?? ''));
  },
  runDetail: (runId: string) => client.runDetail(runId),
  /** The run as bundle JSON, as the UI's "Export run" saves it (null when there is no such run). */
  exportRun: (runId: string) => client.exportRun(runId),
  /** Deletes a run with everything stored for it, as the UI's "Delete run". */
  deleteRun: (runId: string) => client.deleteRun(runId),
  /** Retrains a candidate and returns its TF.js model files (as the UI's "Download TF.js model"). */
  exportModel: (runId: string, seq: number) => client.exportModel(runId, seq),
  /** Trains a candidate again on the whole training split and tests it, as the report's "Retrain and test the front". */
  retrainFull: async (runId: string, seq: number, epochs: number) => (await client.retrainFull(runId, seq, epochs, () => undefined)).candidate,
  /** Imports a run bundle's text, as the UI's "Import run" does. */
  async importRun(text: string) {
    await client.claimWriter();
    return client.importRun(text, text.length);
  },
  /** Calibrates the cost model on one backend in a fresh measurement worker. */
  async calibrate(backend: BackendPreference, options: CalibrationOptions) {
    const measure = new MeasureClient();
    try {
      const device = await measure.init(backend);
      const profile = await measure.calibrate(options, (p: CalibrationProgress) => void window.evonasProgress?.(p));
      return { backend: device.backend, manifest: device.manifest, profile };
    } finally {
      measure.close();
    }
  },
  /** Trains the reference CNN on one backend in a fresh measurement worker (npm run bench:train). */
  async benchTrain(backend: BackendPreference, options: TrainBenchOptions) {
    const measure = new MeasureClient();
    try {
      const device = await measure.init(backend);
      return { backend: device.backend, manifest: device.manifest, result: await measure.benchTrain(options) };
    } finally {
      measure.close();
    }
  },
  /** A fixed list of genomes trained and measured through a pool of `workers` (npm run bench:throughput). */
  benchThroughput: (config: RunConfig, genomes: readonly CnnGenome[], workers?: number) => client.benchThroughput(config, genomes, workers),
  /** This project's kernels against tfjs' own on one backend, in a fresh measurement worker (the kernels e2e test). */
  async checkKernels(backend: BackendName) {
    const measure = new MeasureClient();
    try {
      await measure.init(backend);
      return await measure.checkKernels(backend);
    } finally {
      measure.close();
    }
  },
  /** The run's front as a standalone SVG: first two objectives, or error vs the first cost. */
  async frontSvg(runId: string): Promise<string> {
    const { run, candidates } = await client.runDetail(runId);
    if (!run) throw new Error(`no run ${runId}`);
    const objectives = run.config.objectives;
    const [x, y]: [ObjectiveId, ObjectiveId] = objectives.length >= 2 ? [objectives[1]!, objectives[0]!] : ['params', objectives[0] ?? 'error'];
    return standaloneSvg(paretoChart(candidates, frontIds(candidates, objectives), x, y, 640));
  },
};

export type HeadlessApi = typeof headlessApi;
window.evonas = headlessApi;
document.body.dataset['ready'] = 'true';
