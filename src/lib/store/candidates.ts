import type { CandidateRecord } from '../run/records';
import { database } from './db';

/** A run's candidates in evaluation order. */
export async function candidatesOf(runId: string): Promise<CandidateRecord[]> {
  const all = await (await database()).getAllFromIndex('candidates', 'by-run', runId);
  return all.sort((a, b) => a.seq - b.seq);
}
