import type { CostProfile } from '../measure/profile';
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
  /** The calibration profile of a device and backend (`deviceKey`), if one was made. */
  getProfile(id: string): Promise<CostProfile | undefined>;
}
