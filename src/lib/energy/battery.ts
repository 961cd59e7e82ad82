import { err, ok, type AppError, type Result } from '../core/result';
import { median } from '../core/stats';

/** One reading of the Battery Status API. */
export interface BatterySample {
  /** ms since an arbitrary origin */
  readonly t: number;
  /** 0..1, in 1% steps in Chromium */
  readonly level: number;
  readonly charging: boolean;
  /** seconds to empty as the OS estimates it (rounded, often to ~15 min); Infinity when unknown */
  readonly dischargingTime: number;
}

/** Average power drawn during one phase, with an interval from the API's coarse steps. */
export interface PhasePower {
  readonly watts: number;
  readonly lowW: number;
  readonly highW: number;
  /** Which readings the estimate rests on. */
  readonly method: 'level-steps' | 'level-bounds' | 'discharging-time';
  readonly minutes: number;
}

export type BatteryErrorCode = 'charging' | 'too-short' | 'no-signal';
export type BatteryError = AppError<BatteryErrorCode>;

/** Chromium reports the level in 1% steps. */
export const LEVEL_STEP = 0.01;
/** The OS rounds dischargingTime; Chromium on laptops is often seen in 15-minute steps. */
export const DISCHARGING_TIME_STEP_S = 15 * 60;

const wattsFrom = (fraction: number, capacityWh: number, ms: number): number => (fraction * capacityWh * 3600) / (ms / 1000);

/** From level steps: the time between the first and last observed step spans an exact number of 1% steps. */
function fromLevelSteps(samples: readonly BatterySample[], capacityWh: number): PhasePower | null {
  const steps: { t: number; level: number; prevT: number }[] = [];
  for (let i = 1; i < samples.length; i++) {
    if (samples[i]!.level < samples[i - 1]!.level) steps.push({ t: samples[i]!.t, level: samples[i]!.level, prevT: samples[i - 1]!.t });
  }
  if (steps.length < 2) return null;
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const drop = first.level - last.level;
  // each step happened somewhere between the reading before it and the one that saw it
  const longest = last.t - first.prevT;
  const shortest = Math.max(1, last.prevT - first.t);
  const minutes = (samples[samples.length - 1]!.t - samples[0]!.t) / 60000;
  return {
    watts: wattsFrom(drop, capacityWh, last.t - first.t),
    lowW: wattsFrom(drop, capacityWh, longest),
    highW: wattsFrom(drop, capacityWh, shortest),
    method: 'level-steps',
    minutes,
  };
}

/** From the first and last level only: the true drop is within one step of the observed one. */
function fromLevelBounds(samples: readonly BatterySample[], capacityWh: number): PhasePower {
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const drop = Math.max(0, first.level - last.level);
  const ms = last.t - first.t;
  return {
    watts: wattsFrom(drop, capacityWh, ms),
    lowW: wattsFrom(Math.max(0, drop - LEVEL_STEP), capacityWh, ms),
    highW: wattsFrom(drop + LEVEL_STEP, capacityWh, ms),
    method: 'level-bounds',
    minutes: ms / 60000,
  };
}

/**
 * From the OS's time-to-empty: power = remaining energy / remaining time, within half a rounding step of the
 * time and one step of the (floored) level.
 */
function fromDischargingTime(samples: readonly BatterySample[], capacityWh: number): PhasePower | null {
  const usable = samples.filter((s) => Number.isFinite(s.dischargingTime) && s.dischargingTime > 0);
  if (usable.length === 0) return null;
  const at = (s: BatterySample, seconds: number, level = s.level) => (level * capacityWh * 3600) / seconds;
  const minutes = (samples[samples.length - 1]!.t - samples[0]!.t) / 60000;
  return {
    watts: median(usable.map((s) => at(s, s.dischargingTime))),
    lowW: median(usable.map((s) => at(s, s.dischargingTime + DISCHARGING_TIME_STEP_S / 2))),
    highW: median(usable.map((s) => at(s, Math.max(60, s.dischargingTime - DISCHARGING_TIME_STEP_S / 2), s.level + LEVEL_STEP))),
    method: 'discharging-time',
    minutes,
  };
}

/**
 * Average power of one phase from its battery readings and the battery's capacity (Wh). Prefers exact level
 * steps; otherwise the narrower interval of the level bounds and the OS's time-to-empty.
 */
export function phasePower(samples: readonly BatterySample[], capacityWh: number): Result<PhasePower, BatteryError> {
  if (samples.some((s) => s.charging))
    return err({ code: 'charging', message: 'The device was charging during calibration; unplug the charger and start again.' });
  if (samples.length < 2 || samples[samples.length - 1]!.t - samples[0]!.t < 30_000) {
    return err({ code: 'too-short', message: 'A calibration phase needs at least 30 seconds of battery readings.' });
  }
  const steps = fromLevelSteps(samples, capacityWh);
  if (steps) return ok(steps);
  const candidates = [fromLevelBounds(samples, capacityWh), fromDischargingTime(samples, capacityWh)].filter((p): p is PhasePower => p !== null && p.highW > 0);
  if (candidates.length === 0)
    return err({ code: 'no-signal', message: 'The battery reported no change at all; run longer phases (e.g. 10 minutes) or use a power profile.' });
  return ok(candidates.reduce((best, p) => (p.highW - p.lowW < best.highW - best.lowW ? p : best)));
}

/** Extra power of the workload over idle; the interval is the widest the two phase intervals allow. */
export function workloadPower(idle: PhasePower, load: PhasePower): { watts: number; lowW: number; highW: number } {
  return { watts: Math.max(0, load.watts - idle.watts), lowW: Math.max(0, load.lowW - idle.highW), highW: Math.max(0, load.highW - idle.lowW) };
}

/** Typical battery capacities, for people who do not know theirs. */
export const BATTERY_PRESETS = [
  { id: 'phone', label: 'Phone (~15 Wh)', wh: 15 },
  { id: 'tablet', label: 'Tablet (~30 Wh)', wh: 30 },
  { id: 'laptop-small', label: 'Small laptop (~45 Wh)', wh: 45 },
  { id: 'laptop', label: 'Laptop (~60 Wh)', wh: 60 },
  { id: 'laptop-large', label: 'Large laptop (~90 Wh)', wh: 90 },
] as const;
