import { energyFromLatency, type PowerSource } from '../energy/energy';
import type { DeviceManifest } from '../measure/manifest';
import type { LatencyResult } from '../measure/protocol';
import type { CandidateRecord } from '../records';
import type { Remeasure } from '../records/figures';

export function remeasureOf(device: DeviceManifest, power: PowerSource, results: readonly { seq: number; latency: LatencyResult }[], at: number): Remeasure {
  const candidates = results.map(({ seq, latency }) => {
    const e = energyFromLatency(latency, power);
    return {
      seq,
      latencyMs: latency.medianMs,
      latencyP25Ms: latency.p25Ms,
      latencyP75Ms: latency.p75Ms,
      energyMj: e.mj,
      energyLowMj: e.lowMj,
      energyHighMj: e.highMj,
    };
  });
  return { device, power, energyLabel: energyFromLatency(1, power).label, at, candidates };
}

/** A short name for a device: browser and version, backend, GPU adapter or core count. */
export function deviceLabel(m: DeviceManifest): string {
  const browser = /(Firefox|Edg|Chrome|Safari)\/(\d+)/.exec(m.userAgent);
  const name = browser ? `${browser[1] === 'Edg' ? 'Edge' : browser[1]} ${browser[2]}` : 'browser';
  const hardware = m.adapter ? [m.adapter.vendor, m.adapter.architecture || m.adapter.device].filter(Boolean).join(' ') : `${m.hardwareConcurrency} cores`;
  return `${name} · ${m.backend} · ${hardware || 'GPU'}`;
}

/** One row of the side-by-side table: a front candidate's figures here and on every re-measured device. */
export interface CompareRow {
  readonly seq: number;
  readonly accuracy: number;
  readonly original: { readonly latencyMs: number; readonly energyMj: number };
  readonly others: readonly ({ readonly latencyMs: number; readonly energyMj: number } | null)[];
}

export function compareRows(front: readonly CandidateRecord[], remeasures: readonly Remeasure[]): CompareRow[] {
  return front
    .slice()
    .sort((a, b) => a.seq - b.seq)
    .map((c) => ({
      seq: c.seq,
      accuracy: c.metrics.accuracy,
      original: { latencyMs: c.metrics.latencyMs, energyMj: c.metrics.energyMj },
      others: remeasures.map((r) => r.candidates.find((m) => m.seq === c.seq) ?? null),
    }));
}

export type { RemeasuredCandidate, Remeasure } from '../records/figures';
