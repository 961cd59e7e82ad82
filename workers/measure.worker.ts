/// <reference lib="webworker" />
import { expose } from 'comlink';
import { calibrate, type CalibrationOptions, type CalibrationProgress } from '../src/lib/measure/calibrate';
import { captureManifest, type DeviceManifest } from '../src/lib/measure/manifest';
import { selectBackend, type BackendInfo, type BackendPreference } from '../src/lib/model/backend';

let backend: BackendInfo | null = null;
let cancelled = false;

/** Measurement apart from training: calibration and sustained workloads run in this worker only. */
const api = {
  /** Chooses the backend (once per worker) and describes the device. */
  async init(requested: BackendPreference): Promise<{ backend: BackendInfo; manifest: DeviceManifest }> {
    backend ??= await selectBackend(requested);
    return { backend, manifest: captureManifest(backend.name) };
  },
  async calibrate(options: CalibrationOptions, onProgress: (p: CalibrationProgress) => void) {
    if (!backend) throw new Error('The measurement worker has not chosen a backend yet.');
    cancelled = false;
    return calibrate(options, (p) => void onProgress(p), () => cancelled);
  },
  cancel(): void {
    cancelled = true;
  },
};

export type MeasureApi = typeof api;
expose(api);
