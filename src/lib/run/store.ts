import type { CandidateRecord, RunRecord, SnapshotRecord } from './records';

/** What a run needs from storage; IndexedDB in the app (src/lib/store). */
export interface RunStore {
  getRun(id: string): Promise<RunRecord | undefined>;
  putRun(run: RunRecord): Promise<void>;
  getSnapshot(runId: string): Promise<SnapshotRecord | undefined>;
  putSnapshot(snapshot: SnapshotRecord): Promise<void>;
  candidatesOf(runId: string): Promise<CandidateRecord[]>;
  /** One committed transaction per candidate; writing the same id twice leaves one record. */
  putCandidate(candidate: CandidateRecord): Promise<void>;
}
