import type { CnnGenome, SpaceLimits } from '../genome/types';
import type { BackendInfo, BackendName } from '../model/backend';
import type { CandidateEvaluation } from '../records';
import type { EpochLog } from '../model/train';
import type { Failure, Fault, RunConfig, TrainingBackend } from '../records';
import type { DeviceManifest } from '../measure/manifest';
import type { Promotion } from './promotion';
import type { LayerWeights } from '../genome/inherit';

export interface DatasetSummary {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly classNames: readonly string[];
  readonly trainImages: number;
  readonly validationImages: number;
  readonly testImages: number;
}

export interface EvaluateRequest {
  /** The candidate's place in its run: what names it in a shared run's queue. */
  readonly seq?: number;
  readonly genome: CnnGenome;
  readonly limits: SpaceLimits;
  /** Seeds weight initialisation, dropout and data order. */
  readonly seed: number;
  readonly latencyRuns: number;
  /** A fault to inject into this evaluation (fault-injection tests). */
  readonly fault?: Fault;
  /** Multi-fidelity: stop after `afterEpoch` epochs below `minValAccuracy`. */
  readonly promotion?: Promotion;
  /** Weight inheritance: layers to start from (copied where names and shapes match). */
  readonly inherit?: readonly LayerWeights[];
  /** Return the trained weights (to lend to later candidates). */
  readonly keepWeights?: boolean;
}

export interface EvaluateProgress {
  readonly onBatch: (epoch: number, batch: number, batches: number) => void;
  readonly onEpoch: (log: EpochLog) => void;
}

/** How an evaluation ended; `backend` is the one it ran on when that differs from the run's (after a fallback). */
export type EvaluateOutcome =
  | { readonly ok: true; readonly evaluation: CandidateEvaluation; readonly backend?: BackendName; readonly trainedOn?: BackendName }
  | { readonly ok: false; readonly failure: Failure; readonly backend?: BackendName };

/** Thrown by `evaluate` when the user paused or stopped: the candidate is not failed, it will be re-run. */
export class Interrupted extends Error {
  constructor() {
    super('Evaluation interrupted');
    this.name = 'Interrupted';
  }
}

export interface Prepared {
  readonly backend: BackendInfo;
  readonly training: TrainingBackend;
  readonly dataset: DatasetSummary;
  readonly manifest: DeviceManifest;
  /** How many evaluations may run at once (the pool's workers); absent: one. */
  readonly workers?: number;
}

/**
 * Trains and measures candidates; in the app a pool of training workers behind Comlink. `evaluate` may be
 * called again before earlier calls settle, up to `Prepared.workers` at once.
 */
export interface Evaluator {
  /** `workers`: the pool size a resumed run already uses; absent, the evaluator sizes the pool itself. */
  prepare(config: RunConfig, workers?: number): Promise<Prepared>;
  evaluate(request: EvaluateRequest, progress: EvaluateProgress): Promise<EvaluateOutcome>;
  /**
   * How many evaluations are worth having in flight right now, when that changes during a run (a shared run:
   * twice its active devices); the loop keeps at most `Prepared.workers` regardless. `changed` resolves when
   * `now()` may differ. Absent: `Prepared.workers`, fixed.
   */
  readonly capacity?: { now(): number; changed(): Promise<void> };
}
