import type { CandidateRecord, RunRecord } from '../records';

/**
 * What the run view's helpers (files, device comparison) read from and hand back to the store that owns the
 * open run: the narrow view they are given instead of the store itself, so neither imports it.
 */
export interface OpenRun {
  readonly run: RunRecord | null;
  readonly candidates: readonly CandidateRecord[];
  readonly selected: CandidateRecord | null;
  readonly front: ReadonlySet<string>;
  /** Runs `work`, showing a failure as the page's error instead of throwing. */
  guard(work: () => Promise<void>): Promise<void>;
  replaceRun(run: RunRecord): void;
  replaceCandidate(candidate: CandidateRecord): void;
}
