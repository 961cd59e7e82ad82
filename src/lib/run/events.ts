import type { CnnGenome } from '../genome/types';
import type { BackendInfo } from '../model/backend';
import type { EpochLog } from '../model/train';
import type { Prediction } from './predict';
import type { CandidateRecord, RunRecord } from '../records';

/** What the search worker reports while a run goes on; the UI and the headless runner consume the same events. */
export type RunEvent =
  | { readonly kind: 'run'; readonly run: RunRecord }
  | { readonly kind: 'backend'; readonly runId: string; readonly backend: BackendInfo; readonly workers: number }
  | {
      readonly kind: 'candidate-start';
      readonly runId: string;
      readonly seq: number;
      readonly generation: number;
      readonly genome: CnnGenome;
      readonly params: number;
      readonly flops: number;
      readonly predicted: Prediction | null;
    }
  | {
      readonly kind: 'progress';
      readonly runId: string;
      readonly seq: number;
      readonly epoch: number;
      readonly epochs: number;
      readonly batch: number;
      readonly batches: number;
    }
  | { readonly kind: 'epoch'; readonly runId: string; readonly seq: number; readonly log: EpochLog }
  | { readonly kind: 'candidate-done'; readonly candidate: CandidateRecord };

export type RunEventListener = (event: RunEvent) => void;

/** The writing tab broadcasts every run event on this channel, so read-only tabs follow the run live. */
export const RUN_EVENTS_CHANNEL = 'evonas-run-events';

/** A tab's part: one writer per origin drives runs (Web Locks); the others show them read-only. */
export type Role = 'writer' | 'reader';
