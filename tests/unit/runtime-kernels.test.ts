import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { alignKernelTimes, KIND_OF_NAME } from '../../src/lib/costmodel/kernelTimes';
import { networkKernels, opKernels, validTaps } from '../../src/lib/costmodel/runtimeKernels';
import { lowerGenome } from '../../src/lib/genome/graph';
import { sampleGenome } from '../../src/lib/genome/sample';
import type { CnnGenome } from '../../src/lib/genome/types';
import { buildModel } from '../../src/lib/model/build';
import { FASHION_LIMITS } from './helpers';

/** The kernels one batch-1 predict dispatches, without op wrappers and without predict's own Slice and Identity. */
async function profiledKinds(genome: CnnGenome): Promise<string[]> {
  const model = buildModel(genome, FASHION_LIMITS, 1);
  const x = tf.zeros([1, FASHION_LIMITS.height, FASHION_LIMITS.width, FASHION_LIMITS.channels]);
  try {
    const info = await tf.profile(() => tf.tidy(() => void (model.predict(x) as tf.Tensor).dataSync()));
    const names = info.kernels.map((k) => k.name).filter((n) => !n.endsWith('__op'));
    expect(names[0]).toBe('Slice');
    expect(names.at(-1)).toBe('Identity');
    return names.slice(1, -1).map((n) => KIND_OF_NAME[n] ?? n);
  } finally {
    x.dispose();
    model.dispose();
  }
}

const sorted = (kinds: readonly string[]): string[] => [...kinds].sort();

describe('runtime kernels of a network', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('counts the multiply-adds whose window lies inside the map, as a loop that skips the padding does', () => {
    expect(validTaps(28, 3, 1)).toBe(28 * 3 - 2); // one tap off each edge
    expect(validTaps(28, 3, 2)).toBe(13 * 3 + 2); // "same" pads after only: the last window hangs over by one
    expect(validTaps(4, 7, 1)).toBe(16); // every window covers the whole side
    const [conv] = opKernels({ op: 'conv2d', filters: 8, kernel: 7, stride: 1, activation: 'linear' }, [4, 4, 2]);
    expect(conv!.macs).toBe(4 * 4 * 8 * 2 * 49);
    expect(conv!.validMacs).toBe(16 * 16 * 2 * 8); // a third of the nominal work
    const [depthwise] = opKernels({ op: 'separableConv2d', filters: 8, kernel: 3, stride: 1, activation: 'relu' }, [28, 28, 4]);
    expect(depthwise!.validMacs).toBe(82 * 82 * 4);
    const [pool] = opKernels({ op: 'maxPool', size: 2, stride: 2 }, [7, 7, 16]);
    expect(pool!.validMacs).toBe(7 * 7 * 16); // 2x2 windows with stride 2 read every pixel once
  });

  it('lists every kernel tfjs dispatches, activation by activation', async () => {
    for (const activation of ['relu', 'relu6', 'elu', 'silu', 'linear'] as const) {
      const genome: CnnGenome = {
        blocks: [
          { layers: [{ kind: 'conv', filters: 8, kernel: 3, stride: 1, activation }, { kind: 'batchnorm' }, { kind: 'dropout', rate: 0.1 }], skip: false },
          {
            layers: [
              { kind: 'sepconv', filters: 12, kernel: 5, stride: 2, activation },
              { kind: 'pool', mode: 'avg', size: 3 },
            ],
            skip: true,
          },
          {
            layers: [
              { kind: 'activation', fn: activation === 'linear' ? 'relu' : activation },
              { kind: 'pool', mode: 'max', size: 2 },
            ],
            skip: false,
          },
        ],
        head: activation === 'elu' ? 'flatten' : 'gap',
        training: { optimizer: 'adam', learningRate: 0.001, batchSize: 16, epochs: 1, schedule: 'constant' },
      };
      const predicted = networkKernels(lowerGenome(genome, FASHION_LIMITS).nodes).map((k) => k.kind);
      expect(sorted(predicted), activation).toEqual(sorted(await profiledKinds(genome)));
    }
  });

  it('matches tf.profile on seeded random networks', async () => {
    const rng = Rng.fromSeed(18);
    for (let i = 0; i < 12; i++) {
      const genome = sampleGenome(FASHION_LIMITS, rng);
      const predicted = networkKernels(lowerGenome(genome, FASHION_LIMITS).nodes).map((k) => k.kind);
      expect(sorted(predicted), JSON.stringify(genome.blocks)).toEqual(sorted(await profiledKinds(genome)));
    }
  });

  it("gives each of a network's kernels its own time from a real profile, whatever order the branches ran in", async () => {
    const rng = Rng.fromSeed(19);
    const x = tf.zeros([1, FASHION_LIMITS.height, FASHION_LIMITS.width, FASHION_LIMITS.channels]);
    for (let i = 0; i < 12; i++) {
      const genome = sampleGenome(FASHION_LIMITS, rng);
      const kernels = networkKernels(lowerGenome(genome, FASHION_LIMITS).nodes);
      const model = buildModel(genome, FASHION_LIMITS, 1);
      const info = await tf.profile(() => model.predict(x) as tf.Tensor);
      (info.result as tf.Tensor).dispose();
      model.dispose();
      const profile = info.kernels.map((k) => ({ name: k.name, inputShapes: k.inputShapes, outputShapes: k.outputShapes, ms: k.kernelTimeMs as number }));
      const times = alignKernelTimes(kernels, profile);
      expect(times, JSON.stringify(genome.blocks)).not.toBeNull();
      expect(times!.every((t) => t >= 0)).toBe(true);
      // every profiled kernel's time lands on exactly one of ours
      const own = profile.filter((p) => !p.name.endsWith('__op')).slice(1, -1);
      expect(times!.reduce((s, t) => s + t, 0)).toBeCloseTo(
        own.reduce((s, p) => s + p.ms, 0),
        9,
      );
      // a profile missing a kernel is refused, not half-aligned
      expect(
        alignKernelTimes(
          kernels,
          profile.filter((p) => p.name !== 'Softmax'),
        ),
      ).toBeNull();
    }
    x.dispose();
  });
});
