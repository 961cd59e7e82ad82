import type { RunStore } from '../run/store';
import { candidatesOf, putCandidate } from './candidates';
import { getRun, putRun } from './runs';
import { getSnapshot, putSnapshot } from './snapshots';
import { getProfile } from './profiles';

/** The IndexedDB-backed store a run loop writes through. */
export const idbRunStore: RunStore = { getRun, putRun, getSnapshot, putSnapshot, candidatesOf, putCandidate, getProfile };
