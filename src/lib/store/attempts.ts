import { candidateId } from '../core/ids';
import type { AttemptRecord, CandidateRecord } from '../records';
import type { LayerWeights } from '../genome/inherit';
import { database } from './db';

/**
 * Starts (or restarts) a candidate's evaluation: counts the attempt and writes its lease, committed before
 * training begins, so a kill during training leaves the lease behind as evidence.
 */
export async function beginAttempt(runId: string, seq: number, writer: string, now: number): Promise<AttemptRecord> {
  const tx = (await database()).transaction('attempts', 'readwrite', { durability: 'strict' });
  const id = candidateId(runId, seq);
  const previous = await tx.store.get(id);
  const lease: AttemptRecord = { id, runId, seq, attempts: (previous?.attempts ?? 0) + 1, writer, startedAt: now };
  await Promise.all([tx.store.put(lease), tx.done]);
  return lease;
}

/** Ends an attempt that was paused or stopped on purpose: it does not count against the candidate. */
export async function releaseAttempt(runId: string, seq: number): Promise<void> {
  const tx = (await database()).transaction('attempts', 'readwrite', { durability: 'strict' });
  await Promise.all([tx.store.delete(candidateId(runId, seq)), tx.done]);
}

/** The finished candidate and the end of its lease in one transaction: after a kill there is one or the other. */
export async function finishCandidate(candidate: CandidateRecord, weights?: readonly LayerWeights[]): Promise<void> {
  const tx = (await database()).transaction(['candidates', 'attempts', 'weights'], 'readwrite', { durability: 'strict' });
  await Promise.all([
    tx.objectStore('candidates').put(candidate),
    tx.objectStore('attempts').delete(candidate.id),
    ...(weights ? [tx.objectStore('weights').put({ id: candidate.id, runId: candidate.runId, layers: weights })] : []),
    tx.done,
  ]);
}

/** A finished candidate's trained weights, if they were kept. */
export async function weightsOf(candidateId: string): Promise<readonly LayerWeights[] | undefined> {
  return (await (await database()).get('weights', candidateId))?.layers;
}
