/**
 * Energy per inference. Step 1 has one honest source: measured latency x an assumed device power.
 * The calibrated per-op model plugs in as another `PowerSource` kind.
 */
export const POWER_PROFILES = {
  'laptop-integrated': { label: 'Laptop, integrated GPU', watts: 15 },
  'laptop-discrete': { label: 'Laptop, discrete GPU', watts: 60 },
  desktop: { label: 'Desktop, discrete GPU', watts: 150 },
  phone: { label: 'Phone', watts: 3 },
} as const;
export type PowerProfileId = keyof typeof POWER_PROFILES;

export type PowerSource = { readonly kind: 'assumed'; readonly profile: PowerProfileId; readonly watts: number };

export interface EnergyEstimate {
  /** Energy of one inference in millijoules (W x ms = mJ). */
  readonly mj: number;
  /** Plausible range; an assumed power is taken as uncertain by a factor of 2 either way. */
  readonly lowMj: number;
  readonly highMj: number;
  readonly source: PowerSource;
  /** What the figure rests on, shown beside it everywhere. */
  readonly label: string;
}

export function assumedPower(profile: PowerProfileId): PowerSource {
  return { kind: 'assumed', profile, watts: POWER_PROFILES[profile].watts };
}

export function energyFromLatency(latencyMs: number, source: PowerSource): EnergyEstimate {
  const mj = latencyMs * source.watts;
  return { mj, lowMj: mj / 2, highMj: mj * 2, source, label: `uncalibrated, assumed ${source.watts} W` };
}
