import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { timeProtocol } from '../../src/lib/measure/latency';
import { atUsualTime, DEFAULT_PROTOCOL, summarizePaired } from '../../src/lib/measure/protocol';
import { quantile } from '../../src/lib/core/stats';
import { sharedReadingsBuffer, SpeedReadings, SpeedReference } from '../../src/lib/measure/speedReference';
import { DIGIT_LIMITS } from './helpers';

const spin = (ms: number) => {
  for (const end = performance.now() + ms; performance.now() < end;);
};

describe('the speed reference', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('takes each sample over the reference sample after it, at the reference usual time', () => {
    // the machine runs 1.5x slower for the middle two samples: the network and the reference alike
    const r = summarizePaired(9, [3, 3], [2, 3, 3, 2], [0.3, 0.45, 0.45, 0.3], 0.3, 1);
    expect(r.relative).toBeCloseTo(2 / 0.3, 9);
    expect(r.medianMs).toBeCloseTo(2, 9);
    expect(r.p75Ms - r.p25Ms).toBeCloseTo(0, 9); // the spell is gone from the spread
    expect(r.rawMedianMs).toBe(2.5);
    // taken later to a steadier usual time: every ms figure moves with it, the ratio stays
    const later = atUsualTime(r, 0.33);
    expect(later.medianMs).toBeCloseTo(2.2, 9);
    expect(later.p25Ms).toBeCloseTo(2.2, 9);
    expect(later.relative).toBe(r.relative);
    const unpaired = { ...r, relative: undefined };
    expect(atUsualTime(unpaired, 0.33)).toBe(unpaired);
  });

  it('forgets a slow start once a tenth of the readings are fast (a median would hold it for half the run)', () => {
    const readings = new SpeedReadings();
    for (let i = 0; i < 300; i++) readings.add(0.07); // the first candidates of a worker: 40% slow
    expect(readings.usualMs()).toBeCloseTo(0.07, 9);
    for (let i = 0; i < 40; i++) readings.add(0.05 + 0.0001 * (i % 3)); // then the machine's usual speed
    expect(readings.usualMs()).toBeLessThan(0.051);
  });

  it("gives a pool's workers one usual speed: each reads the readings all of them added", () => {
    const buffer = sharedReadingsBuffer(true)!;
    expect(sharedReadingsBuffer(false)).toBeNull(); // no cross-origin isolation: each worker keeps its own
    const [slowStart, settled] = [new SpeedReadings(buffer), new SpeedReadings(buffer)];
    const alone = new SpeedReadings();
    for (let i = 0; i < 200; i++) {
      slowStart.add(0.085); // a worker whose first seconds run 30% slow
      alone.add(0.085);
      settled.add(0.065 + 0.000001 * (i % 7));
    }
    expect(alone.usualMs()).toBeCloseTo(0.085, 9);
    // the same reading from either worker: the machine's usual speed, which the settled worker shows
    expect(slowStart.usualMs()).toBe(settled.usualMs());
    expect(slowStart.usualMs()).toBeCloseTo(0.065, 5);
    // a fresh worker of the same pool (one restarted after a crash) starts from the pool's readings
    expect(new SpeedReadings(buffer).usualMs()).toBe(settled.usualMs());
  });

  it('keeps the last 4,096 shared readings, as a worker keeps its own', () => {
    const buffer = sharedReadingsBuffer(true)!;
    const [shared, own] = [new SpeedReadings(buffer), new SpeedReadings()];
    for (let i = 0; i < 5000; i++) {
      const ms = i < 904 ? 0.01 : 0.05 + 0.00001 * (i % 13); // the oldest readings, fast, fall out of both
      shared.add(ms);
      own.add(ms);
    }
    expect(own.usualMs()).toBeGreaterThan(0.05);
    expect(shared.usualMs()).toBeCloseTo(own.usualMs(), 6); // whole nanoseconds
  });

  it('holds a network time steady while the machine slows down and speeds up under both', async () => {
    // a slowdown that changes every few samples, as the shared cores here do within milliseconds
    let call = 0;
    const slowdown = () => [1, 1.6, 1.2, 2, 1][Math.floor(call++ / 6) % 5]!;
    let speed = 1;
    const reference = { sample: async () => (spin(0.2 * speed), 0.2 * speed), usualMs: () => 0.2 };
    const p = { ...DEFAULT_PROTOCOL, minTimedMs: 1, runs: 30, maxWarmup: 12, minSampleMs: undefined };
    const network = async () => {
      speed = slowdown();
      spin(0.4 * speed);
    };
    const paired = await timeProtocol(network, p, reference);
    expect(paired.medianMs).toBeGreaterThan(0.36);
    expect(paired.medianMs).toBeLessThan(0.44);
    // without the reference the same timing reads the spells
    const unpaired = await timeProtocol(network, p);
    expect(unpaired.p75Ms / unpaired.p25Ms).toBeGreaterThan(1.15);
  });

  it('times a real reference model and keeps the 10th percentile of its readings as the usual speed', async () => {
    const baseline = tf.memory().numTensors;
    const readings = new SpeedReadings();
    expect(readings.usualMs()).toBeNaN();
    const reference = await SpeedReference.start(DIGIT_LIMITS, DEFAULT_PROTOCOL, readings);
    try {
      const samples = [await reference.sample(), await reference.sample(), await reference.sample()];
      samples.forEach((ms) => expect(ms).toBeGreaterThan(0));
      expect(readings.usualMs()).toBeCloseTo(quantile(samples, 0.1), 12);
      expect(reference.usualMs()).toBe(readings.usualMs());
    } finally {
      reference.dispose();
    }
    // the readings outlive the reference model: a worker's next candidate builds a new one over the same history
    const again = await SpeedReference.start(DIGIT_LIMITS, DEFAULT_PROTOCOL, readings);
    await again.sample();
    again.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
