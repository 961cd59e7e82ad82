import type { EnergyEstimate, PowerSource } from '../records/figures';
import type { PowerProfileId } from '../records/names';
/**
 * Energy per inference = latency x power. Power comes from a battery calibration on this device when there
 * is one, else from a device profile the user picks (documented default watts, labelled "assumed").
 */
export const POWER_PROFILES = {
  'laptop-integrated': { label: 'Laptop, integrated GPU', watts: 15 },
  'laptop-discrete': { label: 'Laptop, discrete GPU', watts: 60 },
  desktop: { label: 'Desktop, discrete GPU', watts: 150 },
  phone: { label: 'Phone', watts: 3 },
} as const satisfies Record<PowerProfileId, { readonly label: string; readonly watts: number }>;

export function assumedPower(profile: PowerProfileId): PowerSource {
  return { kind: 'assumed', profile, watts: POWER_PROFILES[profile].watts };
}

export function powerInterval(source: PowerSource): { watts: number; lowW: number; highW: number } {
  return source.kind === 'assumed' ? { watts: source.watts, lowW: source.watts / 2, highW: source.watts * 2 } : source;
}

export function powerLabel(source: PowerSource): string {
  if (source.kind === 'assumed') return `uncalibrated, assumed ${source.watts} W`;
  const f = (w: number) => w.toFixed(w < 10 ? 1 : 0);
  return `battery-calibrated ${f(source.watts)} W (${f(source.lowW)}-${f(source.highW)} W)`;
}

/** Energy of one inference from its latency (median, with the quartiles for the interval when known). */
export function energyFromLatency(latency: number | { medianMs: number; p25Ms: number; p75Ms: number }, source: PowerSource): EnergyEstimate {
  const { medianMs, p25Ms, p75Ms } = typeof latency === 'number' ? { medianMs: latency, p25Ms: latency, p75Ms: latency } : latency;
  const p = powerInterval(source);
  return { mj: medianMs * p.watts, lowMj: p25Ms * p.lowW, highMj: p75Ms * p.highW, source, label: powerLabel(source) };
}

export type { EnergyEstimate, PowerSource } from '../records/figures';
export type { PowerProfileId } from '../records/names';
