import type { CostModel, NetworkSample, OpSample } from '../costmodel/model';
import type { GridSize } from '../costmodel/grid';
import type { KernelNetworkSample } from '../costmodel/kernelFit';
import type { CalibrationAccuracy } from './calibrate';
import type { DeviceManifest } from './manifest';

/** A calibrated cost model for one device and backend, as stored in IndexedDB and exported as JSON. */
export interface CostProfile {
  /** `deviceKey(manifest)`: one profile per browser, adapter and backend. */
  readonly id: string;
  readonly manifest: DeviceManifest;
  readonly createdAt: number;
  readonly grid: GridSize;
  /** Input shape the grid and the random networks were designed for. */
  readonly input: { readonly height: number; readonly width: number; readonly channels: number };
  readonly model: CostModel;
  readonly accuracy: CalibrationAccuracy;
  readonly opSamples: readonly OpSample[];
  readonly networkSamples: readonly NetworkSample[];
  readonly durationMs: number;
  /**
   * Candidates that finished searches on this device measured, kept so later runs start from a model refined
   * with them (newest last, at most MAX_SEARCH_SAMPLES); absent before the first search that finished.
   */
  readonly searchSamples?: readonly SearchSample[];
}

/** One candidate's runtime kernels and measured latency, from the run that finished at `completedAt`. */
export interface SearchSample extends KernelNetworkSample {
  readonly runId: string;
  readonly completedAt: number;
}

export const MAX_SEARCH_SAMPLES = 400;

/** A profile with `samples` (a finished run's) in place of any that run kept before, the oldest dropped past the cap. */
export function withSearchSamples(profile: CostProfile, samples: readonly SearchSample[]): CostProfile {
  const runs = new Set(samples.map((s) => s.runId));
  const kept = (profile.searchSamples ?? []).filter((s) => !runs.has(s.runId));
  return { ...profile, searchSamples: [...kept, ...samples].slice(-MAX_SEARCH_SAMPLES) };
}

/** The battery calibration last made on this device (device-wide, not per backend). */
export interface PowerCalibration {
  readonly id: 'battery';
  readonly capacityWh: number;
  readonly idle: { readonly watts: number; readonly lowW: number; readonly highW: number; readonly method: string };
  readonly load: { readonly watts: number; readonly lowW: number; readonly highW: number; readonly method: string };
  readonly watts: number;
  readonly lowW: number;
  readonly highW: number;
  readonly minutesPerPhase: number;
  readonly calibratedAt: number;
  /** Inferences per second the workload sustained during the load phase. */
  readonly workloadRate: number;
}
