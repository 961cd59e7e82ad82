import type { RunStore } from '../run/store';
import { beginAttempt, finishCandidate, releaseAttempt, weightsOf } from './attempts';
import { candidatesOf } from './candidates';
import { getRun, putRun } from './runs';
import { getSnapshot, putSnapshot } from './snapshots';
import { getProfile, keepSearchSamples } from './profiles';

/** The IndexedDB-backed store a run loop writes through. */
export const idbRunStore: RunStore = {
  getRun,
  putRun,
  getSnapshot,
  putSnapshot,
  candidatesOf,
  beginAttempt,
  releaseAttempt,
  finishCandidate,
  getProfile,
  keepSearchSamples,
  weightsOf,
};
