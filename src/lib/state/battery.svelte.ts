import { getContext, setContext } from 'svelte';
import { MeasureClient } from '../bridge/measureClient';
import { phasePower, workloadPower, type BatterySample } from '../energy/battery';
import type { PowerSource } from '../energy/energy';
import type { PowerCalibration } from '../measure/profile';
import type { BackendPreference } from '../model/backend';

/** The part of the Battery Status API used here (Chromium only; not in TypeScript's DOM types). */
interface BatteryManagerLike extends EventTarget {
  readonly charging: boolean;
  readonly level: number;
  readonly dischargingTime: number;
}
type NavigatorWithBattery = Navigator & { getBattery?: () => Promise<BatteryManagerLike> };

const SAMPLE_EVERY_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits `ms`, checking every second whether to give up early. */
async function sleepUnless(ms: number, stop: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end && !stop()) await sleep(Math.min(1000, end - Date.now()));
}

export function powerSourceOf(c: PowerCalibration): PowerSource {
  return { kind: 'battery', watts: c.watts, lowW: c.lowW, highW: c.highW, calibratedAt: c.calibratedAt, minutesPerPhase: c.minutesPerPhase };
}

/**
 * Battery power calibration: an idle phase, then a phase of sustained inference of equal length, sampling the
 * battery every few seconds and at every level change. The difference is the power inference costs.
 */
export class BatteryStore {
  capacityWh = $state(60);
  minutes = $state(5);
  phase = $state<'idle' | 'load' | null>(null);
  phaseEndsAt = $state(0);
  result = $state.raw<PowerCalibration | null>(null);
  error = $state<string | null>(null);
  #stop = false;
  #client: MeasureClient | null = null;

  async load(): Promise<void> {
    const client = new MeasureClient();
    try {
      this.result = await client.powerCalibration();
    } finally {
      client.close();
    }
  }

  cancel = (): void => {
    this.#stop = true;
    void this.#client?.cancel();
  };

  async start(backend: BackendPreference, shape: [number, number, number], classes: number): Promise<void> {
    this.error = null;
    const getBattery = (navigator as NavigatorWithBattery).getBattery;
    if (!getBattery) {
      this.error = 'This browser has no Battery Status API (Chromium-based browsers have it); pick a device power profile instead.';
      return;
    }
    const battery = await getBattery.call(navigator);
    if (battery.charging) {
      this.error = 'The device is charging: unplug it, let it run on battery, then start again.';
      return;
    }
    this.#stop = false;
    const ms = this.minutes * 60_000;
    const client = new MeasureClient();
    this.#client = client;
    try {
      const idle = await this.#record(battery, 'idle', ms, () => sleepUnless(ms, () => this.#stop));
      await client.init(backend);
      let rate = 0;
      const load = await this.#record(battery, 'load', ms, async () => void (rate = await client.sustain(ms, shape, classes)));
      if (this.#stop) return;
      const i = phasePower(idle, this.capacityWh);
      const l = phasePower(load, this.capacityWh);
      if (!i.ok || !l.ok) {
        this.error = (!i.ok ? i.error : !l.ok ? l.error : null)!.message;
        return;
      }
      const extra = workloadPower(i.value, l.value);
      const calibration: PowerCalibration = {
        id: 'battery',
        capacityWh: this.capacityWh,
        idle: i.value,
        load: l.value,
        ...extra,
        minutesPerPhase: this.minutes,
        calibratedAt: Date.now(),
        workloadRate: rate,
      };
      await client.savePowerCalibration(calibration);
      this.result = calibration;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.phase = null;
      client.close();
      this.#client = null;
    }
  }

  /** Samples the battery while `work` runs (and for at least `ms`), also at every level change. */
  async #record(battery: BatteryManagerLike, phase: 'idle' | 'load', ms: number, work: () => Promise<void>): Promise<BatterySample[]> {
    this.phase = phase;
    this.phaseEndsAt = Date.now() + ms;
    const samples: BatterySample[] = [];
    const sample = () => samples.push({ t: performance.now(), level: battery.level, charging: battery.charging, dischargingTime: battery.dischargingTime });
    const start = performance.now();
    sample();
    battery.addEventListener('levelchange', sample);
    const timer = setInterval(sample, SAMPLE_EVERY_MS);
    try {
      await work();
      // the phase lasts the full length on this clock, whatever the work's own timing
      while (performance.now() - start < ms && !this.#stop) await sleep(Math.min(1000, ms - (performance.now() - start)));
    } finally {
      clearInterval(timer);
      battery.removeEventListener('levelchange', sample);
      sample();
    }
    return samples;
  }
}

const KEY = Symbol('battery-store');
export const provideBatteryStore = (store: BatteryStore): BatteryStore => setContext(KEY, store);
export const useBatteryStore = (): BatteryStore => getContext<BatteryStore>(KEY);
