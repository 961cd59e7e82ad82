import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { atUsualSpeed, SpeedGauge, timeGauged } from '../../src/lib/measure/speedReference';
import { DIGIT_LIMITS } from './helpers';

describe('the speed gauge', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('takes networks slowed with the whole machine back to their usual time, and leaves the gauge noise alone', async () => {
    // the machine runs at 1x, then 1.5x slower for three networks, then 1x again; every network takes 2 ms at 1x
    const slowdown = [1, 1, 1.5, 1.5, 1.5, 1.5, 1, 1, 1];
    let reading = 0;
    const gauge = { read: async () => 0.3 * slowdown[reading++]! };
    const times = await timeGauged(8, async (i) => 2 * slowdown[i + 1]!, gauge);
    expect(times.raw).toEqual([2, 3, 3, 3, 3, 2, 2, 2]);
    expect(times.around[1]).toBeCloseTo(0.375, 9); // the readings before and after network 1
    const usual = atUsualSpeed(times, 0.3);
    [2, 3].forEach((i) => expect(usual[i]).toBeCloseTo(2, 9)); // inside the spell: fully corrected
    [0, 6, 7].forEach((i) => expect(usual[i]).toBe(2)); // outside it: untouched
    // one reading off by less than the gauge's own noise corrects nothing
    const calm = atUsualSpeed({ raw: [2, 2, 2], around: [0.3, 0.32, 0.3] }, 0.3);
    expect(calm).toEqual([2, 2, 2]);
    // one reading far off alone is outvoted by its neighbours
    expect(atUsualSpeed({ raw: [2, 2, 2, 2], around: [0.3, 0.3, 0.6, 0.3] }, 0.3)).toEqual([2, 2, 2, 2]);
  });

  it('times a real reference model and keeps the median of its readings as the usual speed', async () => {
    const gauge = new SpeedGauge(DIGIT_LIMITS);
    try {
      const readings = [await gauge.read(), await gauge.read(), await gauge.read()];
      readings.forEach((ms) => expect(ms).toBeGreaterThan(0));
      expect(gauge.usualMs()).toBe([...readings].sort((a, b) => a - b)[1]);
    } finally {
      gauge.dispose();
    }
  });
});
