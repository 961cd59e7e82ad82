import type { Remeasure } from '../run/remeasure';
import type { RunRecord } from '../records';
import { database } from './db';

export async function getRun(id: string): Promise<RunRecord | undefined> {
  return (await database()).get('runs', id);
}

/** Runs, newest first. */
export async function listRuns(): Promise<RunRecord[]> {
  return (await (await database()).getAllFromIndex('runs', 'by-created')).reverse();
}

export async function putRun(run: RunRecord): Promise<void> {
  const tx = (await database()).transaction('runs', 'readwrite', { durability: 'strict' });
  await Promise.all([tx.store.put(run), tx.done]);
}

/** Adds a re-measurement of the run's front; null when the run is gone. */
export async function addRemeasure(runId: string, remeasure: Remeasure): Promise<RunRecord | null> {
  const tx = (await database()).transaction('runs', 'readwrite', { durability: 'strict' });
  const run = await tx.store.get(runId);
  if (!run) return null;
  const updated: RunRecord = { ...run, remeasures: [...(run.remeasures ?? []), remeasure] };
  await Promise.all([tx.store.put(updated), tx.done]);
  return updated;
}

/** Deletes a run with its candidates, snapshot, leases and stored weights in one transaction. */
export async function deleteRun(id: string): Promise<void> {
  const tx = (await database()).transaction(['runs', 'candidates', 'snapshots', 'attempts', 'weights'], 'readwrite', { durability: 'strict' });
  const keys = await tx.objectStore('candidates').index('by-run').getAllKeys(id);
  const leases = await tx.objectStore('attempts').index('by-run').getAllKeys(id);
  const weights = await tx.objectStore('weights').index('by-run').getAllKeys(id);
  await Promise.all([
    tx.objectStore('runs').delete(id),
    tx.objectStore('snapshots').delete(id),
    ...keys.map((k) => tx.objectStore('candidates').delete(k)),
    ...leases.map((k) => tx.objectStore('attempts').delete(k)),
    ...weights.map((k) => tx.objectStore('weights').delete(k)),
    tx.done,
  ]);
}
