import { getContext, setContext } from 'svelte';
import { MeasureClient } from '../bridge/measureClient';
import { median } from '../core/stats';
import { MIN_CROSS_VALIDATED } from '../costmodel/kernelFit';
import type { CalibrationProgress } from '../measure/calibrate';
import { calibrationOptions, type CalibrationSize } from '../measure/calibrationSize';
import type { DeviceManifest } from '../measure/manifest';
import type { CostProfile } from '../measure/profile';
import type { BackendInfo, BackendPreference } from '../model/backend';
import type { SpaceLimits } from '../genome/types';

/** The latency model of this device: its stored profile, and calibrating a new one in a measurement worker. */
export class CalibrationStore {
  backend = $state.raw<BackendInfo | null>(null);
  manifest = $state.raw<DeviceManifest | null>(null);
  profile = $state.raw<CostProfile | null>(null);
  progress = $state.raw<CalibrationProgress | null>(null);
  /** When the current calibration phase began (ms since epoch), for its time left. */
  phaseStartedAt = $state(0);
  size = $state<CalibrationSize>('full');
  running = $state(false);
  error = $state<string | null>(null);
  #client: MeasureClient | null = null;

  /**
   * How the kernels timed inside the fitted networks entered the fit (null where none were timed, as on GPU
   * backends): used, set aside by cross-validation, or too few networks to cross-validate.
   */
  readonly kernelTiming = $derived.by(() => {
    const p = this.profile;
    const timed = p ? p.networkSamples.filter((s) => s.kernelMs).length : 0;
    if (!p || !timed) return null;
    const fitted = p.networkSamples.length;
    const verdict = (p.model.kernels?.timingWeight ?? 0) > 0 ? 'used' : fitted < MIN_CROSS_VALIDATED ? 'too-few' : 'set-aside';
    return { fitted, timed, verdict } as const;
  });

  readonly medianHeldOutMs = $derived(this.profile ? median(this.profile.accuracy.pairs.map((p) => p.measuredMs)) : NaN);

  /** Reads the stored profile for this backend (starting the backend once to learn which device this is). */
  async load(backend: BackendPreference): Promise<void> {
    await this.#withClient(backend, async () => undefined);
  }

  async calibrate(backend: BackendPreference, limits: SpaceLimits): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.progress = null;
    try {
      await this.#withClient(backend, async (client) => {
        this.profile = await client.calibrate(calibrationOptions(this.size, limits), (p) => {
          if (p.phase !== this.progress?.phase) this.phaseStartedAt = Date.now();
          this.progress = p;
        });
      });
    } finally {
      this.running = false;
      this.progress = null;
    }
  }

  cancel = (): void => void this.#client?.cancel();

  /** The profile as a JSON file the user saves. */
  exportUrl(): string | null {
    return this.profile ? URL.createObjectURL(new Blob([JSON.stringify(this.profile, null, 1)], { type: 'application/json' })) : null;
  }

  #requests = 0;

  /** The latest request wins: a backend chosen while an earlier one was still starting replaces it. */
  async #withClient(backend: BackendPreference, work: (client: MeasureClient) => Promise<void>): Promise<void> {
    this.error = null;
    const request = ++this.#requests;
    const client = new MeasureClient();
    this.#client = client;
    try {
      const device = await client.init(backend);
      if (request !== this.#requests) return;
      this.backend = device.backend;
      this.manifest = device.manifest;
      this.profile = device.profile;
      await work(client);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      client.close(); // frees the backend's memory for training
      if (this.#client === client) this.#client = null;
    }
  }
}

const KEY = Symbol('calibration-store');
export const provideCalibrationStore = (store: CalibrationStore): CalibrationStore => setContext(KEY, store);
export const useCalibrationStore = (): CalibrationStore => getContext<CalibrationStore>(KEY);
