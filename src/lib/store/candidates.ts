import type { CandidateRecord } from '../run/records';
import { database } from './db';

/** A run's candidates in evaluation order. */
export async function candidatesOf(runId: string): Promise<CandidateRecord[]> {
  const all = await (await database()).getAllFromIndex('candidates', 'by-run', runId);
  return all.sort((a, b) => a.seq - b.seq);
}

/**
 * Commits one finished candidate in its own transaction with strict durability (Chrome defaults to
 * relaxed): once this resolves the record survives a crash. The id is fixed, so a retry overwrites.
 */
export async function putCandidate(candidate: CandidateRecord): Promise<void> {
  const tx = (await database()).transaction('candidates', 'readwrite', { durability: 'strict' });
  await Promise.all([tx.store.put(candidate), tx.done]);
}
