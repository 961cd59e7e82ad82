import type { SpaceLimits } from '../genome/types';
import type { BackendInfo, BackendProbe, DeviceManifest } from './device';
import type { PowerSource, Remeasure } from './figures';
import type { AlgorithmName, BackendName, BackendPreference, BuiltinDatasetName, ObjectiveId } from './names';

/** A run's set-up and its record; its candidates and snapshots are in candidate.ts. */

/** A built-in dataset, or one a person imported from their own files (kept in IndexedDB, with its shape). */
export type DatasetChoice =
  | { readonly kind: 'builtin'; readonly name: BuiltinDatasetName }
  | {
      readonly kind: 'stored';
      readonly id: string;
      readonly name: string;
      readonly shape: DatasetShape;
      readonly classNames: readonly string[];
      readonly images: number;
    };

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
  /**
   * A shared run: candidates go to the devices joined on this lab server (its WebSocket address). The host
   * trains them too, one at a time, as one more device of its own run, unless `hostOnly`.
   */
  readonly share?: { readonly server: string; readonly hostOnly?: boolean };
}

/** A lab server's WebSocket address, as a run's settings, a join link and the runner's --share take it. */
export const LAB_ADDRESS = /^wss?:\/\/[^\s/]+(\/\S*)?$/;

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

/**
 * Faults a test injects into one candidate's evaluation (by `seq`), to prove each ends as data. Never part of a
 * run's record: only the headless page (`window.evonas.start`) hands a plan to the search worker.
 */
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
