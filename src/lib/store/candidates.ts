import type { CandidateRecord, FullRetrain } from '../records';
import { database } from './db';

/** A run's candidates in evaluation order. */
export async function candidatesOf(runId: string): Promise<CandidateRecord[]> {
  const all = await (await database()).getAllFromIndex('candidates', 'by-run', runId);
  return all.sort((a, b) => a.seq - b.seq);
}

/** Records a full retrain on a stored candidate (the only later change to a finished candidate). */
export async function saveFullRetrain(candidateId: string, fullRetrain: FullRetrain): Promise<CandidateRecord | null> {
  const tx = (await database()).transaction('candidates', 'readwrite', { durability: 'strict' });
  const stored = await tx.store.get(candidateId);
  if (!stored) return null;
  const updated = { ...stored, fullRetrain };
  await Promise.all([tx.store.put(updated), tx.done]);
  return updated;
}
