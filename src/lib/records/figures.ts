import type { LayerWeights } from '../genome/inherit';
import type { DeviceManifest } from './device';
import type { PowerProfileId } from './names';

/** The per-candidate figures objectives are read from. */
export interface ObjectiveMetrics {
  /** Validation accuracy in [0, 1]. */
  readonly accuracy: number;
  readonly params: number;
  /** FLOPs of one batch-1 inference. */
  readonly flops: number;
  /** Batch-1 inference latency in ms (median). */
  readonly latencyMs: number;
  /** Energy of one batch-1 inference in mJ. */
  readonly energyMj: number;
}

/** One epoch's figures; accuracies in [0, 1]. */
export interface EpochLog {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  /** Wall time of the epoch's training, ms. */
  readonly ms: number;
}

/** Latency of one measurement, all in milliseconds. */
export interface LatencyResult {
  /** The first run, which compiles shaders / pipelines; never part of the median. */
  readonly coldMs: number;
  readonly medianMs: number;
  readonly p25Ms: number;
  readonly p75Ms: number;
  /** Spread of the timed runs (std / mean). */
  readonly cv: number;
  readonly runs: number;
  readonly warmupRuns: number;
  readonly batchSize: number;
  /**
   * Timed in alternation with the speed reference (measure/speedReference.ts): the median, sample by sample, of
   * the model's time over the reference's. The ms figures above are then this ratio times the reference's usual
   * time, i.e. the latency at the machine's usual speed.
   */
  readonly relative?: number;
  /** With a reference: the median as timed, before it was taken to the machine's usual speed (ms). */
  readonly rawMedianMs?: number;
}

export type PowerSource =
  | { readonly kind: 'assumed'; readonly profile: PowerProfileId; readonly watts: number }
  /** Measured from the battery: the extra power of sustained inference over idle, with its interval. */
  | {
      readonly kind: 'battery';
      readonly watts: number;
      readonly lowW: number;
      readonly highW: number;
      readonly calibratedAt: number;
      readonly minutesPerPhase: number;
    };

export interface EnergyEstimate {
  /** Energy of one inference in millijoules (W x ms = mJ). */
  readonly mj: number;
  /** Plausible range: power's interval (an assumed power is taken as uncertain by 2x either way) times the latency's IQR. */
  readonly lowMj: number;
  readonly highMj: number;
  readonly source: PowerSource;
  /** What the figure rests on, shown beside it everywhere. */
  readonly label: string;
}

/** Multi-fidelity in the app: after `afterEpoch` epochs a candidate goes on only at or above `minValAccuracy`. */
export interface Promotion {
  readonly afterEpoch: number;
  /** Validation accuracy in [0, 1] below which the rest of its training cannot reach the front. */
  readonly minValAccuracy: number;
}

/** One candidate measured again on another device: latency (ms, median and quartiles) and energy (mJ). */
export interface RemeasuredCandidate {
  readonly seq: number;
  readonly latencyMs: number;
  readonly latencyP25Ms: number;
  readonly latencyP75Ms: number;
  readonly energyMj: number;
  readonly energyLowMj: number;
  readonly energyHighMj: number;
}

/** A run's front measured again on one device, with what its energy figures rest on. */
export interface Remeasure {
  readonly device: DeviceManifest;
  readonly power: PowerSource;
  readonly energyLabel: string;
  readonly at: number;
  readonly candidates: readonly RemeasuredCandidate[];
}

/** Everything one training + measurement of a genome produces (plain data). */
export interface CandidateEvaluation {
  readonly history: readonly EpochLog[];
  /** Validation accuracy after the last epoch, [0, 1]. */
  readonly accuracy: number;
  readonly valLoss: number;
  readonly params: number;
  readonly flops: number;
  readonly latency: LatencyResult;
  readonly trainMs: number;
  readonly measureMs: number;
  /** Tensors still allocated after the candidate beyond the worker's baseline; 0 unless something leaked. */
  readonly leakedTensors: number;
  /** Layers that started from inherited weights. */
  readonly inheritedLayers: number;
  /**
   * Each runtime kernel's own time inside the network (ms at the latency's usual speed, aligned with
   * `networkKernels` of the lowered genome), where the measuring backend can profile kernels (CPU, WASM).
   */
  readonly kernelMs?: readonly number[];
  /** The trained weights, when asked for. */
  readonly weights?: readonly LayerWeights[];
}
