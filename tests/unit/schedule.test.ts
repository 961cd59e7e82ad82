import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../src/lib/genome/schedule';
import type { TrainingGenes } from '../../src/lib/genome/types';
import { FusedAdam, FusedMomentum } from '../../src/lib/model/optimizer/fused';
import { setLearningRate } from '../../src/lib/model/optimizer/make';
import { registerProjectKernels } from '../../src/lib/model/kernels';

const genes = (schedule?: TrainingGenes['schedule']): TrainingGenes => ({
  learningRate: 0.01,
  batchSize: 32,
  optimizer: 'adam',
  epochs: 2,
  ...(schedule ? { schedule } : {}),
});

describe('learning-rate schedule', () => {
  it('is the gene itself when constant or absent (genomes stored before schedules)', () => {
    for (const step of [0, 5, 99]) {
      expect(learningRateAt(genes(), step, 100)).toBe(0.01);
      expect(learningRateAt(genes('constant'), step, 100)).toBe(0.01);
    }
  });

  it('warms up linearly over a tenth of the steps to the peak, then decays by a cosine towards zero', () => {
    const rates = Array.from({ length: 100 }, (_, s) => learningRateAt(genes('warmup-cosine'), s, 100));
    expect(rates[0]).toBeCloseTo(0.001);
    expect(rates[9]).toBeCloseTo(0.01);
    expect(rates[10]).toBeCloseTo(0.01);
    for (let s = 1; s < 10; s++) expect(rates[s]!).toBeGreaterThan(rates[s - 1]!);
    for (let s = 11; s < 100; s++) expect(rates[s]!).toBeLessThan(rates[s - 1]!);
    expect(rates[55]).toBeCloseTo(0.005, 3); // half way through the decay
    expect(rates[99]!).toBeGreaterThan(0);
    expect(rates[99]!).toBeLessThan(0.0001);
    expect(learningRateAt(genes('warmup-cosine'), 0, 1)).toBe(0.01); // one step: no room for a schedule
  });
});

describe('setting the step size of each optimizer the app trains with', () => {
  const optimizers = (): [string, () => tf.Optimizer][] => [
    ['fused adam', () => new FusedAdam(0.1)],
    ['fused momentum', () => new FusedMomentum(0.1, 0.9)],
    ['tfjs adam', () => tf.train.adam(0.1)],
    ['tfjs momentum', () => tf.train.momentum(0.1, 0.9)],
  ];

  it('takes effect on the next update: a zero step leaves the weights, a step of 0.1 moves them', async () => {
    registerProjectKernels();
    await tf.setBackend('cpu');
    for (const [name, make] of optimizers()) {
      const w = tf.variable(tf.tensor1d([1, -2, 3]), true, `w-${name.replace(' ', '-')}`);
      const optimizer = make();
      const loss = () => tf.sum(tf.square(w)) as tf.Scalar;
      setLearningRate(optimizer, 0);
      optimizer.minimize(loss, false, [w]);
      expect(Array.from(w.dataSync()), name).toEqual([1, -2, 3]);
      setLearningRate(optimizer, 0.1);
      optimizer.minimize(loss, false, [w]);
      expect(Math.abs(w.dataSync()[0]! - 1), name).toBeGreaterThan(0.01);
      optimizer.dispose();
      w.dispose();
    }
  });
});
