import { describe, expect, it } from 'vitest';
import { AFTER_TRAINING_PROTOCOL, DEFAULT_PROTOCOL, inferencesPerSample, spreadOf, timedRuns } from '../../src/lib/measure/protocol';
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

  const spin = (ms: number) => {
    for (const end = performance.now() + ms; performance.now() < end;);
  };

  it('after training, warms up for at least minWarmupMs before any sample counts', async () => {
    let runs = 0;
    const start = performance.now();
    let firstTimed = Infinity;
    const p = { ...AFTER_TRAINING_PROTOCOL, minTimedMs: 10, maxWarmup: 12, retakes: 0 };
    // a model that runs 1 ms for the first 80 ms, then 0.2 ms: a worker still slow from training
    const r = await timeProtocol(async () => {
      runs++;
      spin(performance.now() - start < 80 ? 1 : 0.2);
      if (performance.now() - start >= p.minWarmupMs! && firstTimed === Infinity) firstTimed = runs;
    }, p);
    expect(r.medianMs).toBeLessThan(0.4);
    expect(runs).toBeGreaterThan(firstTimed);
  });

  it('takes a disturbed timing again and keeps the steadiest take', async () => {
    const p = { ...DEFAULT_PROTOCOL, minTimedMs: 1, maxWarmup: 12, minSampleMs: undefined, runs: 20, retakeSpread: 0.25, retakes: 2 };
    // every other run slowed to 0.6 ms (something else on the cores) for the first `disturbedFor` runs
    const model = (disturbedFor: number) => {
      let call = 0;
      return {
        calls: () => call,
        once: async () => {
          call++;
          spin(call <= disturbedFor && call % 2 ? 0.6 : 0.2);
        },
      };
    };
    const calm = model(40);
    const r = await timeProtocol(calm.once, p);
    expect(calm.calls()).toBeGreaterThan(40); // the first take (after 13 cold and warm-up runs) was retaken
    expect(spreadOf(r)).toBeLessThan(0.25);
    expect(r.medianMs).toBeLessThan(0.3);
    // without retakes the disturbed take stands
    expect(spreadOf(await timeProtocol(model(40).once, { ...p, retakes: 0 }))).toBeGreaterThan(0.25);
  });
});
