import { describe, expect, it } from 'vitest';
import { DEFAULT_PROTOCOL, inferencesPerSample, timedRuns } from '../../src/lib/measure/protocol';
import { timeProtocol } from '../../src/lib/measure/latency';

describe('latency protocol', () => {
  it('times a fast model in samples of several runs, so no sample is shorter than minSampleMs', () => {
    expect(inferencesPerSample(0.05, DEFAULT_PROTOCOL)).toBe(40); // 2 ms / 50 us
    expect(inferencesPerSample(5, DEFAULT_PROTOCOL)).toBe(1);
    expect(inferencesPerSample(0.05, { ...DEFAULT_PROTOCOL, minSampleMs: undefined })).toBe(1);
    // the total timed stays about minTimedMs, and never under `runs` samples
    expect(timedRuns(0.05, DEFAULT_PROTOCOL) * 40 * 0.05).toBeCloseTo(DEFAULT_PROTOCOL.minTimedMs, -1);
    expect(timedRuns(50, DEFAULT_PROTOCOL)).toBe(DEFAULT_PROTOCOL.runs);
  });

  it('reports the time per run, not per sample', async () => {
    let runs = 0;
    const busy = async () => {
      runs++;
      for (const end = performance.now() + 0.2; performance.now() < end;);
    };
    const r = await timeProtocol(busy, { ...DEFAULT_PROTOCOL, minTimedMs: 20, maxWarmup: 12 });
    expect(r.medianMs).toBeGreaterThan(0.19);
    expect(r.medianMs).toBeLessThan(0.4);
    expect(runs).toBeGreaterThan(r.runs + r.warmupRuns); // each sample ran the model more than once
  });
});
