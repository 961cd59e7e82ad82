import { describe, expect, it } from 'vitest';
import { DISCHARGING_TIME_STEP_S, phasePower, workloadPower, type BatterySample } from '../../src/lib/energy/battery';
import { energyFromLatency, assumedPower } from '../../src/lib/energy/energy';

/** What Chromium would report for a battery of `wh` drained at `watts`: level floored to 1%, time-to-empty rounded. */
function record(watts: number, wh: number, minutes: number, opts: { startLevel?: number; everyS?: number; offsetS?: number } = {}): BatterySample[] {
  const start = opts.startLevel ?? 0.8;
  const every = opts.everyS ?? 5;
  const samples: BatterySample[] = [];
  for (let s = 0; s <= minutes * 60; s += every) {
    const level = start - (watts * (s + (opts.offsetS ?? 0))) / (wh * 3600);
    const dischargingTime = Math.round((level * wh * 3600) / watts / DISCHARGING_TIME_STEP_S) * DISCHARGING_TIME_STEP_S;
    samples.push({ t: s * 1000, level: Math.floor(level * 100 + 1e-9) / 100, charging: false, dischargingTime });
  }
  return samples;
}

describe('battery calibration arithmetic', () => {
  it('recovers a constant draw from level steps, inside its interval', () => {
    const r = phasePower(record(12, 50, 10, { offsetS: 40 }), 50); // 1% of 50 Wh at 12 W = 150 s: 4 steps in 10 min
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.method).toBe('level-steps');
    expect(r.value.watts).toBeCloseTo(12, 0);
    expect(r.value.lowW).toBeLessThanOrEqual(12);
    expect(r.value.highW).toBeGreaterThanOrEqual(12);
    expect(r.value.highW - r.value.lowW).toBeLessThan(1);
  });

  it('falls back to bounds or time-to-empty when the level barely moves, with an honest interval', () => {
    const r = phasePower(record(3, 60, 5), 60); // 1% = 2160 J = 12 min at 3 W: at most one step in 5 min
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.method).not.toBe('level-steps');
    expect(r.value.lowW).toBeLessThanOrEqual(3);
    expect(r.value.highW).toBeGreaterThanOrEqual(3);
  });

  it('subtracts idle from load, widening the interval', () => {
    const idle = phasePower(record(6, 50, 10, { offsetS: 20 }), 50);
    const load = phasePower(record(18, 50, 10, { startLevel: 0.7, offsetS: 20 }), 50);
    if (!idle.ok || !load.ok) throw new Error('phase failed');
    const gpu = workloadPower(idle.value, load.value);
    expect(gpu.watts).toBeCloseTo(12, 0);
    expect(gpu.lowW).toBeLessThanOrEqual(12);
    expect(gpu.highW).toBeGreaterThanOrEqual(12);
  });

  it('refuses readings taken on the charger or too short to mean anything', () => {
    const charging = record(10, 50, 5).map((s, i) => (i === 3 ? { ...s, charging: true } : s));
    expect(phasePower(charging, 50)).toMatchObject({ ok: false, error: { code: 'charging' } });
    expect(phasePower(record(10, 50, 0.2), 50)).toMatchObject({ ok: false, error: { code: 'too-short' } });
  });
});

describe('energy per inference', () => {
  it('is latency x power with the power and latency intervals', () => {
    const e = energyFromLatency({ medianMs: 2, p25Ms: 1.8, p75Ms: 2.4 }, assumedPower('laptop-integrated'));
    expect(e).toMatchObject({ mj: 30, lowMj: 1.8 * 7.5, highMj: 2.4 * 30, label: 'uncalibrated, assumed 15 W' });
    const b = energyFromLatency(2, { kind: 'battery', watts: 8, lowW: 6, highW: 11, calibratedAt: 0, minutesPerPhase: 5 });
    expect(b).toMatchObject({ mj: 16, lowMj: 12, highMj: 22, label: 'battery-calibrated 8.0 W (6.0-11 W)' });
  });
});
