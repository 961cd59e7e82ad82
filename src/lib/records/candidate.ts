import type { RngState } from '../core/rng';
import type { CnnGenome } from '../genome/types';
import type { EnergyEstimate, EpochLog, ObjectiveMetrics, Promotion } from './figures';
import type { BackendName } from './names';
import type { SearchState } from './search';

/** Objective figures plus what else a candidate's evaluation measured. */
export interface CandidateMetrics extends ObjectiveMetrics {
  readonly valLoss: number;
  readonly latencyP25Ms: number;
  readonly latencyP75Ms: number;
  /** First (shader-compiling) inference, excluded from the median. */
  readonly coldLatencyMs: number;
  /** The cost model's prediction before training (null without a calibration profile). */
  readonly predictedLatencyMs: number | null;
  /** (predicted - measured) / measured, in percent: the cost model's error on this candidate. */
  readonly latencyErrorPct: number | null;
  /** Its kernels' own times inside it (ms at usual speed; see CandidateEvaluation.kernelMs), where profiled. */
  readonly kernelMs?: readonly number[];
  /**
   * Its time over the speed reference's, sample by sample (LatencyResult.relative), where timed against it:
   * `latencyMs` is this times the worker's usual reference time then, which settles as the run goes on.
   */
  readonly latencyRelative?: number;
}

/** Where a candidate is in its life: queued in the snapshot, running under a lease, then done or failed. */
export type CandidateStatus = 'done' | 'failed';
export type LifecycleState = 'queued' | 'running' | CandidateStatus;

/** Why a candidate failed; each code has a message for the user in run/failures.ts. */
export type FailureCode =
  | 'nan-loss'
  | 'out-of-memory'
  | 'worker-crash'
  | 'worker-hang'
  | 'device-lost'
  | 'backend-unavailable'
  | 'training-error'
  | 'interrupted-repeatedly'
  | 'not-prepared'
  | 'lost-device';

export interface Failure {
  readonly code: FailureCode;
  readonly message: string;
}

/**
 * The lease of a running candidate: written before training starts and deleted in the same transaction that stores the finished candidate. A lease left behind means the evaluation died.
 */
export interface AttemptRecord {
  /** `${runId}:${seq}`, like the candidate it becomes. */
  readonly id: string;
  readonly runId: string;
  readonly seq: number;
  /** Evaluations started for this candidate, this one included. */
  readonly attempts: number;
  /** The tab (writer id) that runs it. */
  readonly writer: string;
  readonly startedAt: number;
}

export interface CandidateRecord {
  /** `${runId}:${seq}` */
  readonly id: string;
  readonly runId: string;
  /** 0-based evaluation index within the run. */
  readonly seq: number;
  readonly generation: number;
  readonly status: CandidateStatus;
  readonly genome: CnnGenome;
  readonly key: string;
  readonly metrics: CandidateMetrics;
  readonly energy: EnergyEstimate | null;
  readonly history: readonly EpochLog[];
  readonly timings: { readonly trainMs: number; readonly measureMs: number; readonly totalMs: number };
  /** The backend latency was measured on (the run's target). */
  readonly backend: BackendName | null;
  /** The backend it trained on, when that differs from `backend`. */
  readonly trainedOn?: BackendName;
  readonly leakedTensors: number;
  readonly failure: Failure | null;
  /** Evaluations started for this candidate (more than 1 when a crash or kill interrupted one). */
  readonly attempts: number;
  /** The tab that wrote it: with one writer per origin, every candidate of a run has one. */
  readonly writer: string;
  /** Why a trained candidate is outside the run's budgets (it then never enters the front), or null. */
  readonly overBudget: string | null;
  readonly finishedAt: number;
  /** Set when it started from a finished candidate's weights: which one, and how many layers were copied. */
  readonly inheritedFrom?: { readonly seq: number; readonly layers: number };
  /** Set when multi-fidelity stopped its training after `afterEpoch` epochs, below the bar it had to clear. */
  readonly stoppedEarly?: Promotion;
  /** The candidate retrained on the whole training split and scored on the held-out test split, if asked for. */
  readonly fullRetrain?: FullRetrain;
}

/** A candidate trained again on every training image, then scored once on the test split. */
export interface FullRetrain {
  /** Accuracy on the test split (official test set, or the run's seeded 15% held out), [0, 1]. */
  readonly testAccuracy: number;
  readonly testImages: number;
  readonly trainImages: number;
  readonly epochs: number;
  readonly backend: BackendName;
  readonly trainMs: number;
  readonly at: number;
}

/** A candidate the search has asked for; fixed before training so a resumed run trains the same thing. */
export interface PendingCandidate {
  readonly seq: number;
  readonly generation: number;
  readonly genome: CnnGenome;
  readonly key: string;
}

/** The search between two steps: algorithm state, RNG state, the candidates asked for and not yet told, and the tell order. */
export interface SnapshotRecord {
  readonly runId: string;
  /** Number of completed ask/tell rounds. */
  readonly step: number;
  readonly state: SearchState<CnnGenome>;
  readonly rng: RngState;
  readonly pending: readonly PendingCandidate[];
  /** Sequence numbers in the order the search was told their results (absent in old snapshots: 0, 1, 2...). */
  readonly told?: readonly number[];
  readonly savedAt: number;
}
