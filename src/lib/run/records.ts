import type { Promotion } from './promotion';
import type { Remeasure } from './remeasure';
import type { RngState } from '../core/rng';
import type { BuiltinDatasetName } from '../data/builtin';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import type { EnergyEstimate, PowerSource } from '../energy/energy';
import type { DeviceManifest } from '../measure/manifest';
import type { BackendInfo, BackendName, BackendPreference } from '../model/backend';
import type { BackendProbe } from '../model/probe';
import type { EpochLog } from '../model/train';
import type { AlgorithmName, SearchState } from '../search/algorithm';
import type { ObjectiveId, ObjectiveMetrics } from '../search/objectives';

/** The records a run is made of: what IndexedDB stores, workers send and exports carry. All plain JSON. */

/** A built-in dataset, or one a person imported from their own files (kept in IndexedDB, with its shape). */
export type DatasetChoice =
  | { readonly kind: 'builtin'; readonly name: BuiltinDatasetName }
  | { readonly kind: 'stored'; readonly id: string; readonly name: string; readonly shape: DatasetShape; readonly classNames: readonly string[]; readonly images: number };

export interface DatasetShape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** How much each candidate may spend; the genome's own training genes live within these bounds. */
export interface TrainingBudget {
  readonly maxEpochs: number;
  /** Training images used per epoch (a balanced prefix of the training split). */
  readonly maxTrainImages: number;
  readonly maxValidationImages: number;
  readonly maxParams: number;
  /** FLOPs of one inference. */
  readonly maxFlops: number;
  /** Batch-1 latency budget in ms; checked on the prediction before training (with a calibration) and on the measurement after. */
  readonly maxLatencyMs: number | null;
  /** Energy-per-inference budget in mJ, checked the same way. */
  readonly maxEnergyMj: number | null;
}

export interface RunConfig {
  readonly dataset: DatasetChoice;
  readonly algorithm: AlgorithmName;
  readonly objectives: readonly ObjectiveId[];
  readonly populationSize: number;
  /** Total candidates to train. */
  readonly evaluations: number;
  readonly seed: number;
  readonly budget: TrainingBudget;
  readonly backend: BackendPreference;
  readonly power: PowerSource;
  /** Timed batch-1 inferences per candidate (after warm-up). */
  readonly latencyRuns: number;
  /** Faults to inject, for fault-injection tests only; the UI never sets it. */
  readonly faults?: FaultPlan;
  /**
   * 'fastest': candidates train on the backend a probe found fastest here, and latency is still measured on
   * `backend`, the one the model is meant for. 'target' (and runs made before the probe existed): both on `backend`.
   */
  readonly trainOn?: 'fastest' | 'target';
  /**
   * Multi-fidelity: after one epoch, stop training a candidate that can no longer reach the front (see
   * run/promotion.ts). Absent: on for the cost-screened search ("ours"), off for the others.
   */
  readonly multiFidelity?: boolean;
  /** Weight inheritance: each candidate starts from the weights of the finished network most like it. */
  readonly inheritWeights?: boolean;
  /** Training workers side by side; absent: sized for the device and its training backend (evaluation/poolSize.ts). */
  readonly workers?: number;
  /** Wall-clock budget in minutes of running: no candidate starts after it, those in flight finish. Absent or null: none. */
  readonly maxMinutes?: number | null;
  /** A shared run: candidates go to the devices joined on this lab server (its WebSocket address). */
  readonly share?: { readonly server: string };
}

export type RunStatus = 'running' | 'paused' | 'done' | 'stopped' | 'failed';

/** The backend candidates train on and, when a probe chose it, every backend's probed speed. */
export interface TrainingBackend {
  readonly backend: BackendName;
  readonly probe: BackendProbe | null;
}

export interface RunRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly config: RunConfig;
  readonly status: RunStatus;
  /** Fixed once the dataset is loaded (input shape, classes, caps). */
  readonly limits: SpaceLimits | null;
  readonly backend: BackendInfo | null;
  /** The device the run's figures were measured on (captured by the training worker). */
  readonly device: DeviceManifest | null;
  /** The calibration profile used for predictions, if this device has one for the backend. */
  readonly costProfileId: string | null;
  /** Where candidates train, and the probe that chose it (absent: they train on `backend`). */
  readonly training?: TrainingBackend;
  readonly userAgent: string;
  /** Why the run failed or stopped, in words for the user. */
  readonly message: string | null;
  /** The front measured again on other devices (or backends), newest last. */
  readonly remeasures?: readonly Remeasure[];
  /** Training workers this run uses, fixed at its first start (the search's decisions depend on it). */
  readonly workers?: number;
  /** Milliseconds spent running so far, over every session (what the wall-clock budget counts). */
  readonly activeMs?: number;
}

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
}

/** Where a candidate is in its life: queued in the snapshot, running under a lease, then done or failed. */
export type CandidateStatus = 'done' | 'failed';
export type LifecycleState = 'queued' | 'running' | CandidateStatus;

/** Why a candidate failed; each code has a message for the user in run/failures.ts. */
export type FailureCode =
  | 'nan-loss' | 'out-of-memory' | 'worker-crash' | 'worker-hang' | 'device-lost'
  | 'backend-unavailable' | 'training-error' | 'interrupted-repeatedly' | 'not-prepared' | 'lost-device';

export interface Failure {
  readonly code: FailureCode;
  readonly message: string;
}

/** Faults a test injects into one candidate's evaluation (by `seq`), to prove each ends as data. */
export type Fault =
  | { readonly kind: 'nan'; readonly seq: number; readonly afterBatches: number }
  | { readonly kind: 'oversize'; readonly seq: number }
  | { readonly kind: 'crash'; readonly seq: number; readonly afterBatches: number }
  | { readonly kind: 'hang'; readonly seq: number; readonly afterBatches: number }
  | { readonly kind: 'device-lost'; readonly seq: number; readonly afterBatches: number }
  | { readonly kind: 'backend-fail'; readonly seq: number };

export interface FaultPlan {
  readonly faults: readonly Fault[];
  /** Silence from the training worker longer than this ends the candidate as hung (default WATCHDOG_MS). */
  readonly watchdogMs?: number;
}

/**
 * The lease of a running candidate: written before training starts, refreshed by a heartbeat, deleted in the
 * same transaction that stores the finished candidate. A lease left behind means the evaluation died.
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
  readonly heartbeatAt: number;
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
