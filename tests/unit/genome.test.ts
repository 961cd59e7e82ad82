import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { crossoverGenomes } from '../../src/lib/genome/crossover';
import { LEARNING_RATE_RANGES, rateForSwitch } from '../../src/lib/genome/genes';
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
    {
      layers: [
        { kind: 'conv', filters: 128, kernel: 7, stride: 1, activation: 'relu' },
        { kind: 'conv', filters: 128, kernel: 7, stride: 1, activation: 'relu' },
      ],
      skip: true,
    },
  ],
  head: 'flatten',
  training: { learningRate: 1e-3, batchSize: 32, optimizer: 'adam', epochs: 2 },
};

describe('genome', () => {
  it('mutates a genome whose repair left a block empty (a change-layer there used to throw)', () => {
    const conv = (filters: number, stride: 1 | 2): LayerGene => ({ kind: 'conv', filters, kernel: 3, stride, activation: 'relu' });
    const g: CnnGenome = {
      blocks: [
        { skip: false, layers: [conv(8, 1), conv(8, 2)] },
        { skip: false, layers: [] },
      ],
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
      blocks: [
        {
          layers: [
            { kind: 'conv', filters: 8, kernel: 3, stride: 2, activation: 'relu' },
            { kind: 'pool', mode: 'max', size: 2 },
            { kind: 'pool', mode: 'max', size: 2 },
            { kind: 'conv', filters: 8, kernel: 3, stride: 2, activation: 'relu' },
          ],
          skip: false,
        },
      ],
      head: 'gap',
    };
    const fixed = repairGenome(pools, DIGIT_LIMITS); // 8 -> 4 -> 2 -> 1, then the last conv must lose its stride
    expect(fixed.blocks[0]!.layers.at(-1)).toMatchObject({ kind: 'conv', stride: 1 });
    const sides = lowerGenome(fixed, DIGIT_LIMITS)
      .nodes.filter((n) => n.shape.length === 3)
      .map((n) => n.shape[0]!);
    expect(Math.min(...sides)).toBe(1);
  });

  it('keeps at least one convolution and clamps genes to their grids', () => {
    const bare: CnnGenome = {
      blocks: [{ layers: [{ kind: 'dropout', rate: 0.93 }], skip: false }],
      head: 'gap',
      training: { learningRate: 0.0007, batchSize: 40 as 32, optimizer: 'sgd', epochs: 99 },
    };
    const fixed = repairGenome(bare, DIGIT_LIMITS);
    expect(fixed.blocks[0]!.layers[0]!.kind).toBe('conv');
    expect(fixed.blocks[0]!.layers[1]).toEqual({ kind: 'dropout', rate: 0.5 });
    // 7e-4 is below SGD's range: its lowest rate
    expect(fixed.training).toEqual({ learningRate: 3e-2, batchSize: 32, optimizer: 'sgd', epochs: DIGIT_LIMITS.maxEpochs });
    const adam = repairGenome({ ...bare, training: { ...bare.training, optimizer: 'adam', learningRate: 0.2 } }, DIGIT_LIMITS);
    expect(adam.training.learningRate).toBe(1e-2); // above Adam's range: its highest
  });

  it("samples networks that downsample to a quarter of the input side, Adam mostly, rates in each optimizer's range", () => {
    for (const limits of [DIGIT_LIMITS, FASHION_LIMITS]) {
      const rng = Rng.fromSeed(11);
      const genomes = Array.from({ length: 200 }, () => sampleGenome(limits, rng));
      const target = Math.max(4, Math.ceil(limits.height / 4));
      const lastSide = (g: CnnGenome) => {
        const nodes = lowerGenome(g, limits).nodes;
        return nodes[nodes.length - 3]!.shape[0]!;
      };
      expect(genomes.filter((g) => lastSide(g) <= target).length).toBeGreaterThanOrEqual(190);
      expect(genomes.filter((g) => g.training.optimizer === 'adam').length).toBeGreaterThan(150);
      for (const g of genomes) expect(LEARNING_RATE_RANGES[g.training.optimizer]).toContain(g.training.learningRate);
    }
  });

  it('samples flatten heads mostly, and a last convolution wide enough for the classes', () => {
    for (const limits of [DIGIT_LIMITS, FASHION_LIMITS]) {
      const rng = Rng.fromSeed(5);
      const genomes = Array.from({ length: 200 }, () => sampleGenome(limits, rng));
      const features = (g: CnnGenome) =>
        lowerGenome(g, limits)
          .nodes.at(-1)!
          .inputShape.reduce((a, b) => a * b, 1);
      expect(genomes.filter((g) => g.head === 'flatten').length).toBeGreaterThan(140);
      // repair may still narrow a network to meet the caps
      expect(genomes.filter((g) => features(g) >= 2 * limits.classes).length).toBeGreaterThanOrEqual(190);
    }
  });

  it('gives every network enough optimizer steps where the training split is known: smaller batches, then more epochs', () => {
    const g: CnnGenome = {
      ...wide,
      blocks: [{ layers: [{ kind: 'conv', filters: 8, kernel: 3, stride: 2, activation: 'relu' }], skip: false }],
      training: { learningRate: 3e-3, batchSize: 64, optimizer: 'adam', epochs: 1 },
    };
    // 1,300 images at batch 64 for one epoch is 21 steps; batch 16 for two epochs is 164
    expect(repairGenome(g, { ...DIGIT_LIMITS, trainImages: 1300 }).training).toMatchObject({ batchSize: 16, epochs: 2 });
    expect(repairGenome(g, { ...DIGIT_LIMITS, trainImages: 3000 }).training).toMatchObject({ batchSize: 16, epochs: 1 });
    expect(repairGenome(g, { ...DIGIT_LIMITS, trainImages: 20_000 }).training).toMatchObject({ batchSize: 64, epochs: 1 });
    expect(repairGenome(g, DIGIT_LIMITS).training).toMatchObject({ batchSize: 64, epochs: 1 }); // size unknown: as it is
  });

  it("mutates training genes within the optimizer's range, and carries the rate across a change of optimizer", () => {
    const rng = Rng.fromSeed(5);
    let g = sampleGenome(DIGIT_LIMITS, rng);
    for (let i = 0; i < 300; i++) {
      g = mutateGenome(g, DIGIT_LIMITS, rng);
      expect(LEARNING_RATE_RANGES[g.training.optimizer]).toContain(g.training.learningRate);
    }
    expect(rateForSwitch('sgd', 3e-3)).toBe(3e-2);
    expect(rateForSwitch('adam', 3e-2)).toBe(3e-3);
    expect(rateForSwitch('adam', 1e-2)).toBe(3e-3); // the end of Adam's range
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
