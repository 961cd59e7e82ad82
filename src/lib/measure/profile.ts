import type { CostModel, NetworkSample, OpSample } from '../costmodel/model';
import type { GridSize } from '../costmodel/grid';
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
