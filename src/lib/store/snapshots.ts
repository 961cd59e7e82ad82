import type { SnapshotRecord } from '../records';
import { database } from './db';

export async function getSnapshot(runId: string): Promise<SnapshotRecord | undefined> {
  return (await database()).get('snapshots', runId);
}

export async function putSnapshot(snapshot: SnapshotRecord): Promise<void> {
  const tx = (await database()).transaction('snapshots', 'readwrite', { durability: 'strict' });
  await Promise.all([tx.store.put(snapshot), tx.done]);
}
