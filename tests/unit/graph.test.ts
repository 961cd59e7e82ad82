import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { lowerGenome } from '../../src/lib/genome/graph';
import { sampleGenome } from '../../src/lib/genome/sample';
import type { CnnGenome } from '../../src/lib/genome/types';
import { buildModel } from '../../src/lib/model/build';
import { DIGIT_LIMITS, FASHION_LIMITS } from './helpers';

/** Every op kind: conv, separable conv, both pools, batch norm, dropout, activation, projected skip, flatten. */
const everyOp: CnnGenome = {
  blocks: [
    {
      layers: [{ kind: 'conv', filters: 16, kernel: 3, stride: 1, activation: 'silu' }, { kind: 'batchnorm' }, { kind: 'activation', fn: 'relu6' }],
      skip: false,
    },
    {
      layers: [
        { kind: 'sepconv', filters: 24, kernel: 5, stride: 2, activation: 'elu' },
        { kind: 'pool', mode: 'avg', size: 3 },
        { kind: 'dropout', rate: 0.2 },
      ],
      skip: true,
    },
    {
      layers: [
        { kind: 'conv', filters: 24, kernel: 1, stride: 1, activation: 'linear' },
        { kind: 'pool', mode: 'max', size: 2 },
      ],
      skip: true,
    },
  ],
  head: 'flatten',
  training: { learningRate: 1e-3, batchSize: 32, optimizer: 'adam', epochs: 1 },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('analytic parameters and FLOPs', () => {
  it('match countParams() and the output shape of the built model, op by op', () => {
    const summary = lowerGenome(everyOp, FASHION_LIMITS);
    const model = buildModel(everyOp, FASHION_LIMITS, 1);
    expect(summary.params).toBe(model.countParams());
    for (const node of summary.nodes.slice(1)) {
      const layer = model.getLayer(node.name);
      expect(layer.countParams(), node.name).toBe(node.params);
      expect((layer.outputShape as number[]).slice(1), node.name).toEqual([...node.shape]);
    }
    model.dispose();
  });

  it('match countParams() for 40 random genomes', () => {
    const rng = Rng.fromSeed(21);
    for (let i = 0; i < 40; i++) {
      const limits = i % 2 ? DIGIT_LIMITS : FASHION_LIMITS;
      const g = sampleGenome(limits, rng);
      const model = buildModel(g, limits, i);
      expect(lowerGenome(g, limits).params).toBe(model.countParams());
      model.dispose();
    }
  });

  it('counts FLOPs by hand for a small network', () => {
    const g: CnnGenome = {
      ...everyOp,
      blocks: [{ layers: [{ kind: 'conv', filters: 4, kernel: 3, stride: 2, activation: 'relu' }], skip: false }],
      head: 'gap',
    };
    const { nodes, flops } = lowerGenome(g, DIGIT_LIMITS);
    // conv: 4x4x4 outputs x 3x3x1 MACs x 2, plus 64 relus; gap: 4x4x4 adds; dense: 2 x 4 x 10
    expect(nodes.map((n) => n.flops)).toEqual([0, 64 * 9 * 2 + 64, 64, 80]);
    expect(flops).toBe(1152 + 64 + 64 + 80);
  });

  it('builds the same initial weights from the same seed', () => {
    const a = buildModel(everyOp, DIGIT_LIMITS, 3);
    const b = buildModel(everyOp, DIGIT_LIMITS, 3);
    const c = buildModel(everyOp, DIGIT_LIMITS, 4);
    const w = (m: tf.LayersModel) => Array.from(m.getWeights()[0]!.dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach((m) => m.dispose());
  });
});
