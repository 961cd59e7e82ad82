import { proxy, wrap, type Remote } from 'comlink';
import type { MeasureApi } from '../../../workers/measure.worker';
import type { CalibrationOptions, CalibrationProgress } from '../measure/calibrate';
import type { DeviceManifest } from '../measure/manifest';
import type { CostProfile, PowerCalibration } from '../measure/profile';
import type { TrainBenchOptions, TrainBenchResult } from '../measure/trainbench';
import type { BackendInfo, BackendName, BackendPreference } from '../model/backend';
import type { KernelCheck } from '../model/selfcheck';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import type { LatencyProtocol, LatencyResult } from '../measure/protocol';

/** The page's client of a measurement worker; one worker per backend choice, ended with `close()`. */
export class MeasureClient {
  readonly #worker = new Worker(new URL('../../../workers/measure.worker.ts', import.meta.url), { type: 'module', name: 'measure' });
  readonly #api: Remote<MeasureApi> = wrap<MeasureApi>(this.#worker);

  init(backend: BackendPreference): Promise<{ backend: BackendInfo; manifest: DeviceManifest; profile: CostProfile | null }> {
    return this.#api.init(backend);
  }

  calibrate(options: CalibrationOptions, onProgress: (p: CalibrationProgress) => void): Promise<CostProfile> {
    return this.#api.calibrate(options, proxy(onProgress));
  }

  sustain(ms: number, shape: [number, number, number], classes: number): Promise<number> {
    return this.#api.sustain(ms, shape, classes);
  }

  powerCalibration(): Promise<PowerCalibration | null> {
    return this.#api.powerCalibration();
  }

  savePowerCalibration(calibration: PowerCalibration): Promise<void> {
    return this.#api.savePowerCalibration(calibration);
  }

  checkKernels(backend: BackendName): Promise<{ checks: KernelCheck[]; relaxedSimd: boolean | null }> {
    return this.#api.checkKernels(backend);
  }

  benchTrain(options: TrainBenchOptions): Promise<TrainBenchResult> {
    return this.#api.benchTrain(options);
  }

  remeasure(
    items: readonly { seq: number; genome: CnnGenome }[],
    limits: SpaceLimits,
    protocol: LatencyProtocol,
    onProgress: (done: number) => void,
  ): Promise<{ manifest: DeviceManifest; results: { seq: number; latency: LatencyResult }[] }> {
    return this.#api.remeasure(items, limits, protocol, proxy(onProgress));
  }

  cancel(): Promise<void> {
    return this.#api.cancel();
  }

  close(): void {
    this.#worker.terminate();
  }
}
