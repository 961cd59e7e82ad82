import { openDB, type DBSchema, type IDBPDatabase, type StoreNames } from 'idb';
import type { CostProfile, PowerCalibration } from '../measure/profile';
import type { AttemptRecord, CandidateRecord, RunRecord, SnapshotRecord } from '../records';
import type { Dataset } from '../data/dataset';
import type { StoredDatasetMeta } from '../data/stored';
import type { BackendProbe } from '../model/probe';
import type { LayerWeights } from '../genome/inherit';

/** Every store and index of the app's database, in one schema (idb style). */
export interface NasDb extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { 'by-created': number } };
  candidates: { key: string; value: CandidateRecord; indexes: { 'by-run': string } };
  /** The latest search-state snapshot of each run, keyed by run id. */
  snapshots: { key: string; value: SnapshotRecord };
  /** Calibrated cost models, one per device and backend (`deviceKey`). */
  profiles: { key: string; value: CostProfile };
  /** The battery calibration of this device. */
  power: { key: string; value: PowerCalibration };
  /** Leases of running candidates (`${runId}:${seq}`): the attempt count and the writing tab. */
  attempts: { key: string; value: AttemptRecord; indexes: { 'by-run': string } };
  /** Datasets imported from the user's files: what the set-up form lists, and the pixels apart (loaded only to train). */
  datasetMeta: { key: string; value: StoredDatasetMeta };
  datasetData: { key: string; value: { readonly id: string; readonly dataset: Dataset } };
  /** Training-speed probes of the backends, by device and input shape. */
  probes: { key: string; value: { readonly key: string; readonly probe: BackendProbe } };
  /** Trained weights of a run's candidates (`${runId}:${seq}`), kept for weight inheritance only. */
  weights: { key: string; value: CandidateWeights; indexes: { 'by-run': string } };
}

export interface CandidateWeights {
  readonly id: string;
  readonly runId: string;
  readonly layers: readonly LayerWeights[];
}

export const DB_NAME = 'evonas';
export const DB_VERSION = 6;

let opening: Promise<IDBPDatabase<NasDb>> | null = null;

/** How long an upgrade may wait on another tab before the user is told which tab to close. */
const BLOCKED_TIMEOUT_MS = 5_000;
/**
 * How long any open may take. An open queued behind another context's blocked upgrade (another tab, or a
 * worker of this one) never receives 'blocked' itself; without this it would wait forever.
 */
const QUEUED_TIMEOUT_MS = 10_000;
const HELD_MESSAGE = 'Another tab of this app keeps an older version of its database open; close that tab (or reload it) and try again.';

/**
 * The database, opened once per context (page or worker) and upgraded in place. Never hangs: an upgrade
 * blocked by a tab that will not let go, or a tab older than the stored schema, rejects with what to do.
 */
export function database(): Promise<IDBPDatabase<NasDb>> {
  if (!opening) {
    const attempt = open();
    opening = attempt;
    attempt.catch(() => {
      if (opening === attempt) opening = null;
    });
  }
  return opening;
}

function open(): Promise<IDBPDatabase<NasDb>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let gaveUp = false;
  let rejectBlocked: (e: Error) => void = () => {};
  const blocked = new Promise<never>((_, reject) => (rejectBlocked = reject));
  const giveUp = () => {
    gaveUp = true;
    rejectBlocked(new Error(HELD_MESSAGE));
  };
  const onBlocked = () => {
    timer ??= setTimeout(giveUp, BLOCKED_TIMEOUT_MS);
  };
  const queued = setTimeout(giveUp, QUEUED_TIMEOUT_MS);
  const opened = openDB<NasDb>(DB_NAME, DB_VERSION, {
    // Each store is created when missing rather than by version number, so a database some other code
    // created empty (or an interrupted upgrade) still ends up with every store.
    upgrade(db) {
      const has = (name: StoreNames<NasDb>) => db.objectStoreNames.contains(name);
      if (!has('runs')) db.createObjectStore('runs', { keyPath: 'id' }).createIndex('by-created', 'createdAt');
      if (!has('candidates')) db.createObjectStore('candidates', { keyPath: 'id' }).createIndex('by-run', 'runId');
      if (!has('snapshots')) db.createObjectStore('snapshots', { keyPath: 'runId' });
      if (!has('profiles')) db.createObjectStore('profiles', { keyPath: 'id' });
      if (!has('power')) db.createObjectStore('power', { keyPath: 'id' });
      if (!has('attempts')) db.createObjectStore('attempts', { keyPath: 'id' }).createIndex('by-run', 'runId');
      if (!has('datasetMeta')) db.createObjectStore('datasetMeta', { keyPath: 'id' });
      if (!has('datasetData')) db.createObjectStore('datasetData', { keyPath: 'id' });
      if (!has('probes')) db.createObjectStore('probes', { keyPath: 'key' });
      if (!has('weights')) db.createObjectStore('weights', { keyPath: 'id' }).createIndex('by-run', 'runId');
    },
    blocked: onBlocked,
    // Another tab opens a newer version: close ours so its upgrade is not blocked forever.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      opening = null;
    },
  }).then(
    (db) => {
      if (gaveUp) db.close(); // opened after we told the user to close the other tab: nobody holds this handle
      return db;
    },
    (e: unknown) => {
      if (e instanceof DOMException && e.name === 'VersionError')
        throw new Error('This tab runs an older version of the app than the one that last stored data here; reload the page.');
      throw e;
    },
  );
  return Promise.race([opened, blocked]).finally(() => {
    clearTimeout(timer);
    clearTimeout(queued);
  });
}
