import { describe, expect, it } from 'vitest';
import { assumedPower } from '../../src/lib/energy/energy';
import type { DeviceManifest } from '../../src/lib/measure/manifest';
import { summarize } from '../../src/lib/measure/protocol';
import { compareRows, deviceLabel, remeasureOf } from '../../src/lib/run/remeasure';
import type { CandidateRecord } from '../../src/lib/records';

const manifest = (backend: DeviceManifest['backend'], adapter: DeviceManifest['adapter']): DeviceManifest => ({
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Safari/537.36',
  hardwareConcurrency: 8,
  backend,
  adapter,
  gpuLimits: null,
  timerResolutionMs: 0.1,
  crossOriginIsolated: true,
  capturedAt: 0,
});

describe('compare devices', () => {
  it('names a device by browser, backend and adapter or cores', () => {
    expect(deviceLabel(manifest('wasm', null))).toBe('Chrome 150 · wasm · 8 cores');
    expect(deviceLabel(manifest('webgpu', { vendor: 'apple', architecture: 'metal-3', device: '', description: '' }))).toBe(
      'Chrome 150 · webgpu · apple metal-3',
    );
  });

  it('turns latencies into energy with the chosen power and its interval', () => {
    const r = remeasureOf(manifest('cpu', null), assumedPower('phone'), [{ seq: 4, latency: summarize(9, [], [1, 2, 3, 4, 5], 1) }], 7);
    expect(r.candidates[0]).toEqual({ seq: 4, latencyMs: 3, latencyP25Ms: 2, latencyP75Ms: 4, energyMj: 9, energyLowMj: 3, energyHighMj: 24 });
    expect(r.energyLabel).toBe('uncalibrated, assumed 3 W');
  });

  it('lines up each front candidate with its figures on every device, a gap where one was not measured', () => {
    const c = (seq: number) => ({ seq, metrics: { accuracy: 0.9, latencyMs: seq, energyMj: 2 * seq } }) as unknown as CandidateRecord;
    const a = remeasureOf(manifest('cpu', null), assumedPower('phone'), [{ seq: 2, latency: summarize(1, [], [4], 1) }], 0);
    const rows = compareRows([c(2), c(1)], [a]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(rows[0]!.others).toEqual([null]);
    expect(rows[1]!.original).toEqual({ latencyMs: 2, energyMj: 4 });
    expect(rows[1]!.others[0]).toMatchObject({ latencyMs: 4, energyMj: 12 });
  });
});
