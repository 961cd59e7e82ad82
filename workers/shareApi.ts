import { credsAuthenticator, jwtAuthenticator, wsconnect } from '@nats-io/nats-core';
import { WorkerPool } from '../src/lib/evaluation/pool';
import type { RunConfig, RunRecord } from '../src/lib/records';
import { frontIds } from '../src/lib/run/analysis';
import { remeasureOf } from '../src/lib/run/remeasure';
import { candidatesOf } from '../src/lib/store/candidates';
import { addRemeasure, getRun } from '../src/lib/store/runs';
import { serveRun, type DatasetShelf, type DeviceStatus } from '../src/lib/share/deviceLoop';
import { encodeDataset } from '../src/lib/share/datasetWire';
import { getDataset, listDatasets, putDataset } from '../src/lib/store/datasets';
import { mintWorkerCredentials } from '../src/lib/share/credentials';
import { hostSharedRun, JOIN_LIFETIME_S, mintJoinLink, type LabKey } from '../src/lib/share/host';
import { parseJoin } from '../src/lib/share/join';
import { runNames } from '../src/lib/share/names';
import { fromSeed } from '@nats-io/nkeys';
import { measureFrontHere } from './frontMeasurer';
import type { SharedEvaluator } from '../src/lib/share/sharedEvaluator';

const encoder = new TextEncoder();
/** The lab key for hosting, in memory only: it never reaches IndexedDB or a bundle; a reloaded tab is given it again. */
let labKey: LabKey | null = null;
let device: { readonly controller: AbortController; readonly finished: Promise<number> } | null = null;

/** This browser's imported datasets, as a joined device receives and keeps them. */
const shelf: DatasetShelf = {
  has: async (id) => (await getDataset(id)) !== undefined,
  put: (meta, dataset) => putDataset(meta, dataset),
};

async function datasetBytes(id: string): Promise<Uint8Array | null> {
  const [dataset, meta] = await Promise.all([getDataset(id), listDatasets().then((all) => all.find((m) => m.id === id))]);
  return dataset && meta ? encodeDataset(meta, dataset) : null;
}

const every = (ms: number, beat: () => void) => {
  const timer = setInterval(beat, ms);
  return () => clearInterval(timer);
};

/**
 * This tab as one device of a shared run, with a run-limited device user (a join link's, or one the host mints
 * for itself): its own connection and training worker, the device loop, and (`measuresFront`) the front
 * measured here when the host asks. `controller` leaves the run (a candidate in training goes back to the queue).
 */
async function serveAsDevice(
  server: string,
  runId: string,
  jwt: string,
  seed: string,
  measuresFront: boolean,
  onStatus?: (status: DeviceStatus) => void,
): Promise<{ readonly controller: AbortController; readonly finished: Promise<number> }> {
  const nc = await wsconnect({
    servers: server,
    authenticator: jwtAuthenticator(jwt, encoder.encode(seed)),
    inboxPrefix: runNames(runId).inboxPrefix,
    reconnect: true,
  });
  const controller = new AbortController();
  const pool = new WorkerPool();
  const front = measuresFront ? { front: { key: fromSeed(encoder.encode(seed)).getPublicKey(), id: crypto.randomUUID(), measure: measureFrontHere } } : {};
  const finished = serveRun(nc, runId, pool, { signal: controller.signal, every, shelf, ...front, ...(onStatus ? { onStatus } : {}) }).finally(() => {
    pool.terminate();
    void nc.close();
  });
  return { controller, finished };
}

/** The host as one more device of its own run, minted like any join link's (its figures are the run's own, so it does not measure the front again); returns its stop function. */
async function serveOwnRun(key: LabKey, runId: string, server: string): Promise<() => void> {
  const { jwt, seed } = await mintWorkerCredentials(key.signingSeed, key.account, runId, JOIN_LIFETIME_S, Date.now() / 1000);
  const { controller, finished } = await serveAsDevice(server, runId, jwt, seed, false);
  finished.catch((e: unknown) => console.error(`the host stopped training candidates of ${runId}: ${e instanceof Error ? e.message : String(e)}`));
  return () => controller.abort();
}

/**
 * The evaluator of a shared run this tab hosts: candidates go to the lab's queue, results come back from
 * devices, this one included unless the run is host-only.
 */
export async function sharedEvaluatorFor(runId: string, config: RunConfig & { share: { server: string; hostOnly?: boolean } }): Promise<SharedEvaluator> {
  const key = labKey;
  if (!key) throw new Error('This run is shared: give this tab the lab key (host-key.json from npm run lab -- start) to host it.');
  const nc = await wsconnect({ servers: config.share.server, authenticator: credsAuthenticator(encoder.encode(key.hostCreds)) });
  const local = new WorkerPool();
  let stopServing = (): void => undefined;
  const dispose = () => {
    stopServing();
    local.terminate();
    void nc.close();
  };
  try {
    const dataset = config.dataset.kind === 'stored' ? await datasetBytes(config.dataset.id) : null;
    const evaluator = await hostSharedRun(nc, runId, config, local, dataset, { dispose });
    if (!config.share.hostOnly) stopServing = await serveOwnRun(key, runId, config.share.server);
    return evaluator;
  } catch (e) {
    dispose();
    throw e;
  }
}

/** How long the host waits for joined devices to measure the front: a measurement worker's start, then each network. */
const frontWaitMs = (networks: number): number => 30_000 + 3_000 * networks;

/**
 * A shared run that is done asks every device serving it to measure the front on itself; each answer is
 * stored with the run as one more device of "Compare devices" (energy from the run's power setting).
 * Returns the run as stored then, or null when there was nothing to ask.
 */
export async function measureFrontOnDevices(runId: string, evaluator: SharedEvaluator): Promise<RunRecord | null> {
  const run = await getRun(runId);
  if (!run?.limits) return null;
  const candidates = await candidatesOf(runId);
  const ids = frontIds(candidates, run.config.objectives);
  const front = candidates.filter((c) => ids.has(c.id)).map((c) => ({ seq: c.seq, genome: c.genome }));
  if (front.length === 0) return null;
  const asked = { v: 1 as const, limits: run.limits, latencyRuns: run.config.latencyRuns, candidates: front };
  let updated: RunRecord | null = run;
  const own = run.config.share?.hostOnly ? 0 : 1;
  for (const m of await evaluator.measureFront(asked, frontWaitMs(front.length), own))
    updated = await addRemeasure(runId, remeasureOf(m.manifest, run.config.power, m.results, Date.now()));
  return updated;
}

/** Shared runs: hosting (the lab key, join links) and joining one as a device. */
export const shareApi = {
  setLabKey(key: LabKey): void {
    labKey = key;
  },
  /** Whether this tab holds a lab key, so that it can host a shared run. */
  canHost: (): boolean => labKey !== null,
  /** A join link for one more device of a shared run this tab hosts. */
  async joinLink(runId: string, config: RunConfig, appUrl: string): Promise<string> {
    if (!labKey || !config.share) throw new Error('Only the host of a shared run, holding its lab key, can hand out join links.');
    return mintJoinLink(labKey, runId, appUrl, config.share.server, Date.now() / 1000);
  },
  /** Serves a shared run from this device until `leave`; resolves with the candidates it finished. */
  async join(link: string, onStatus: (status: DeviceStatus) => void): Promise<number> {
    if (device) throw new Error('This tab already serves a shared run; leave it first.');
    const ticket = parseJoin(link);
    if (!ticket.ok) throw new Error(ticket.error.message);
    const { server, run, jwt, seed } = ticket.value;
    const served = await serveAsDevice(server, run, jwt, seed, true, onStatus);
    const finished = served.finished.finally(() => {
      device = null;
    });
    const controller = served.controller;
    device = { controller, finished };
    return finished;
  },
  /** Leaves the shared run: a candidate in training goes straight back to the queue. */
  async leave(): Promise<number> {
    if (!device) return 0;
    device.controller.abort();
    return device.finished;
  },
};
