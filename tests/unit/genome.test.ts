import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { crossoverGenomes } from '../../src/lib/genome/crossover';
import { lowerGenome } from '../../src/lib/genome/graph';
import { mutateGenome } from '../../src/lib/genome/mutate';
import { repairGenome } from '../../src/lib/genome/repair';
import { sampleGenome } from '../../src/lib/genome/sample';
import type { CnnGenome, LayerGene } from '../../src/lib/genome/types';
import { validateGenome } from '../../src/lib/genome/validate';
import { cnnSpace } from '../../src/lib/search/spaces/cnn';
import { DIGIT_LIMITS, FASHION_LIMITS } from './helpers';

const wide: CnnGenome = {
  blocks: [
    { layers: [{ kind: 'conv', filters: 128, kernel: 7, stride: 1, activation: 'relu' }, { kind: 'conv', filters: 128, kernel: 7, stride: 1, activation: 'relu' }], skip: true },
  ],
  head: 'flatten',
  training: { learningRate: 1e-3, batchSize: 32, optimizer: 'adam', epochs: 2 },
};

describe('genome', () => {
  it('mutates a genome whose repair left a block empty (a change-layer there used to throw)', () => {
    const conv = (filters: number, stride: 1 | 2): LayerGene => ({ kind: 'conv', filters, kernel: 3, stride, activation: 'relu' });
    const g: CnnGenome = {
      blocks: [{ skip: false, layers: [conv(8, 1), conv(8, 2)] }, { skip: false, layers: [] }],
      head: 'flatten',
      training: { optimizer: 'adam', learningRate: 0.001, batchSize: 32, epochs: 2 },
    };
    const rng = Rng.fromSeed(3);
    for (let i = 0; i < 500; i++) expect(validateGenome(mutateGenome(g, DIGIT_LIMITS, rng), DIGIT_LIMITS)).toEqual([]);
  });

  it('samples only valid genomes, on both input sizes', () => {
    for (const limits of [DIGIT_LIMITS, FASHION_LIMITS]) {
      const rng = Rng.fromSeed(11);
      for (let i = 0; i < 300; i++) expect(validateGenome(sampleGenome(limits, rng), limits)).toEqual([]);
    }
  });

  it('is deterministic: the same seed samples, mutates and crosses over identically', () => {
    const run = () => {
      const rng = Rng.fromSeed(5);
      const a = sampleGenome(DIGIT_LIMITS, rng);
      const b = sampleGenome(DIGIT_LIMITS, rng);
      return [a, b, mutateGenome(a, DIGIT_LIMITS, rng), crossoverGenomes(a, b, DIGIT_LIMITS, rng)];
    };
    expect(run()).toEqual(run());
  });

  it('repairs a genome over the parameter and FLOP caps until it fits', () => {
    expect(validateGenome(wide, DIGIT_LIMITS).map((p) => p.code)).toEqual(['too-many-flops', 'too-many-params']);
    const fixed = repairGenome(wide, DIGIT_LIMITS);
    expect(validateGenome(fixed, DIGIT_LIMITS)).toEqual([]);
    const { params, flops } = lowerGenome(fixed, DIGIT_LIMITS);
    expect(params).toBeLessThanOrEqual(DIGIT_LIMITS.maxParams);
    expect(flops).toBeLessThanOrEqual(DIGIT_LIMITS.maxFlops);
  });

  it('never downsamples a 1x1 feature map', () => {
    const pools: CnnGenome = {
      ...wide,
      blocks: [{ layers: [{ kind: 'conv', filters: 8, kernel: 3, stride: 2, activation: 'relu' }, { kind: 'pool', mode: 'max', size: 2 }, { kind: 'pool', mode: 'max', size: 2 }, { kind: 'conv', filters: 8, kernel: 3, stride: 2, activation: 'relu' }], skip: false }],
      head: 'gap',
    };
    const fixed = repairGenome(pools, DIGIT_LIMITS); // 8 -> 4 -> 2 -> 1, then the last conv must lose its stride
    expect(fixed.blocks[0]!.layers.at(-1)).toMatchObject({ kind: 'conv', stride: 1 });
    const sides = lowerGenome(fixed, DIGIT_LIMITS).nodes.filter((n) => n.shape.length === 3).map((n) => n.shape[0]!);
    expect(Math.min(...sides)).toBe(1);
  });

  it('keeps at least one convolution and clamps genes to their grids', () => {
    const bare: CnnGenome = { blocks: [{ layers: [{ kind: 'dropout', rate: 0.93 }], skip: false }], head: 'gap', training: { learningRate: 0.0007, batchSize: 40 as 32, optimizer: 'sgd', epochs: 99 } };
    const fixed = repairGenome(bare, DIGIT_LIMITS);
    expect(fixed.blocks[0]!.layers[0]!.kind).toBe('conv');
    expect(fixed.blocks[0]!.layers[1]).toEqual({ kind: 'dropout', rate: 0.5 });
    expect(fixed.training).toEqual({ learningRate: 1e-3, batchSize: 32, optimizer: 'sgd', epochs: DIGIT_LIMITS.maxEpochs });
  });

  it('mutation and crossover produce valid, mostly new genomes', () => {
    const space = cnnSpace(DIGIT_LIMITS);
    const rng = Rng.fromSeed(9);
    let changed = 0;
    for (let i = 0; i < 200; i++) {
      const a = space.sample(rng);
      const m = space.mutate(a, rng);
      const x = space.crossover(a, space.sample(rng), rng);
      expect(validateGenome(m, DIGIT_LIMITS)).toEqual([]);
      expect(validateGenome(x, DIGIT_LIMITS)).toEqual([]);
      if (space.key(m) !== space.key(a)) changed++;
    }
    expect(changed).toBeGreaterThan(180);
  });

  it('keys genomes canonically, whatever the key order of the record', () => {
    const space = cnnSpace(DIGIT_LIMITS);
    const reordered = JSON.parse(JSON.stringify({ training: wide.training, head: wide.head, blocks: wide.blocks })) as CnnGenome;
    expect(space.key(reordered)).toBe(space.key(wide));
  });
});
