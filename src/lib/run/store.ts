import type { LayerWeights } from '../genome/inherit';
import type { CostProfile, SearchSample } from '../measure/profile';
import type { AttemptRecord, CandidateRecord, RunRecord, SnapshotRecord } from '../records';

/** What a run needs from storage; IndexedDB in the app (src/lib/store). */
export interface RunStore {
  getRun(id: string): Promise<RunRecord | undefined>;
  putRun(run: RunRecord): Promise<void>;
  getSnapshot(runId: string): Promise<SnapshotRecord | undefined>;
  putSnapshot(snapshot: SnapshotRecord): Promise<void>;
  candidatesOf(runId: string): Promise<CandidateRecord[]>;
  /** Counts an attempt and writes the candidate's lease, committed before training starts. */
  beginAttempt(runId: string, seq: number, writer: string, now: number): Promise<AttemptRecord>;
  /** Drops the lease of an attempt paused or stopped on purpose (it does not count). */
  releaseAttempt(runId: string, seq: number): Promise<void>;
  /**
   * The candidate and the end of its lease (and its trained weights, when kept for inheritance) in one committed
   * transaction; the same id twice leaves one record.
   */
  finishCandidate(candidate: CandidateRecord, weights?: readonly LayerWeights[]): Promise<void>;
  /** A finished candidate's kept weights (weight inheritance), if any. */
  weightsOf(candidateId: string): Promise<readonly LayerWeights[] | undefined>;
  /** The calibration profile of a device and backend (`deviceKey`), if one was made. */
  getProfile(id: string): Promise<CostProfile | undefined>;
  /** Keeps a finished run's measured candidates with that profile, for the runs after it. */
  keepSearchSamples(profileId: string, samples: readonly SearchSample[]): Promise<void>;
}
