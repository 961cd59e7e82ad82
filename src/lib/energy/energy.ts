/**
 * Energy per inference = latency x power. Power comes from a battery calibration on this device when there
 * is one, else from a device profile the user picks (documented default watts, labelled "assumed").
 */
export const POWER_PROFILES = {
  'laptop-integrated': { label: 'Laptop, integrated GPU', watts: 15 },
  'laptop-discrete': { label: 'Laptop, discrete GPU', watts: 60 },
  desktop: { label: 'Desktop, discrete GPU', watts: 150 },
  phone: { label: 'Phone', watts: 3 },
} as const;
export type PowerProfileId = keyof typeof POWER_PROFILES;

export type PowerSource =
  | { readonly kind: 'assumed'; readonly profile: PowerProfileId; readonly watts: number }
  /** Measured from the battery: the extra power of sustained inference over idle, with its interval. */
  | { readonly kind: 'battery'; readonly watts: number; readonly lowW: number; readonly highW: number; readonly calibratedAt: number; readonly minutesPerPhase: number };

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
