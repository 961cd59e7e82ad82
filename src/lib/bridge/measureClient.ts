import { proxy, wrap, type Remote } from 'comlink';
import type { MeasureApi } from '../../../workers/measure.worker';
import type { CalibrationOptions, CalibrationProgress, CalibrationResult } from '../measure/calibrate';
import type { DeviceManifest } from '../measure/manifest';
import type { BackendInfo, BackendPreference } from '../model/backend';

/** The page's client of the measurement worker; one worker per backend choice, closed with `close()`. */
export class MeasureClient {
  readonly #worker = new Worker(new URL('../../../workers/measure.worker.ts', import.meta.url), { type: 'module', name: 'measure' });
  readonly #api: Remote<MeasureApi> = wrap<MeasureApi>(this.#worker);

  init(backend: BackendPreference): Promise<{ backend: BackendInfo; manifest: DeviceManifest }> {
    return this.#api.init(backend);
  }

  calibrate(options: CalibrationOptions, onProgress: (p: CalibrationProgress) => void): Promise<CalibrationResult> {
    return this.#api.calibrate(options, proxy(onProgress));
  }

  cancel(): Promise<void> {
    return this.#api.cancel();
  }

  close(): void {
    this.#worker.terminate();
  }
}
