import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CostProfile, PowerCalibration } from '../measure/profile';
import type { CandidateRecord, RunRecord, SnapshotRecord } from '../run/records';

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
}

export const DB_NAME = 'evonas';
export const DB_VERSION = 2;

let opening: Promise<IDBPDatabase<NasDb>> | null = null;

/** The database, opened once per context (page or worker) and upgraded in place. */
export function database(): Promise<IDBPDatabase<NasDb>> {
  opening ??= openDB<NasDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('runs', { keyPath: 'id' }).createIndex('by-created', 'createdAt');
        db.createObjectStore('candidates', { keyPath: 'id' }).createIndex('by-run', 'runId');
        db.createObjectStore('snapshots', { keyPath: 'runId' });
      }
      if (oldVersion < 2) {
        db.createObjectStore('profiles', { keyPath: 'id' });
        db.createObjectStore('power', { keyPath: 'id' });
      }
    },
    // Another tab holds an older version open: close ours so its upgrade is not blocked forever.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
      opening = null;
    },
  });
  return opening;
}
