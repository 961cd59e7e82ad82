import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { datasetFromCsv } from '../../src/lib/data/assemble';
import { BUILTIN_INFO } from '../../src/lib/data/builtin';
import { parsePixelCsv } from '../../src/lib/data/csv';
import { stratifiedSplit } from '../../src/lib/data/split';
import type { CnnGenome } from '../../src/lib/genome/types';
import { evaluateGenome } from '../../src/lib/evaluation/candidate';
import { networkKernels } from '../../src/lib/costmodel/runtimeKernels';
import { lowerGenome } from '../../src/lib/genome/graph';
import { disposeTensors, makeTensors, type TrainingTensors } from '../../src/lib/model/data';
import '@tensorflow/tfjs-backend-wasm';
import { registerProjectKernels } from '../../src/lib/model/kernels';
import { DEFAULT_PROTOCOL } from '../../src/lib/measure/protocol';
import { SpeedReadings } from '../../src/lib/measure/speedReference';
import { datasetBytes, DIGIT_LIMITS } from './helpers';

const QUICK = { ...DEFAULT_PROTOCOL, runs: 5, minTimedMs: 0, minWarmup: 3, maxWarmup: 10 };

let data: TrainingTensors;
let onWasm: () => TrainingTensors;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const csv = parsePixelCsv(new TextDecoder().decode(datasetBytes('digits.csv.gz', true)));
  if (!csv.ok) throw new Error(csv.error.message);
  const ds = datasetFromCsv(csv.value, 'digits', BUILTIN_INFO.digits.classNames, 16);
  if (!ds.ok) throw new Error(ds.error.message);
  const split = stratifiedSplit(ds.value.labels, { validation: 0.15, test: 0.15 }, Rng.fromSeed(1));
  data = makeTensors(ds.value, split.train.subarray(0, 400), split.validation.subarray(0, 100));
  // the same split made on the current backend: tfjs moves a CPU-backend tensor cast from int32 to float32
  // to another backend with its int32 bytes (one-hot labels would arrive as denormals), so data is made where it trains
  onWasm = () => makeTensors(ds.value, split.train.subarray(0, 400), split.validation.subarray(0, 100));
});

const small = (training: CnnGenome['training'], extra: CnnGenome['blocks'] = []): CnnGenome => ({
  blocks: [
    {
      layers: [{ kind: 'conv', filters: 8, kernel: 3, stride: 1, activation: 'relu' }, { kind: 'batchnorm' }, { kind: 'pool', mode: 'max', size: 2 }],
      skip: true,
    },
    ...extra,
  ],
  head: 'flatten',
  training,
});

describe('training a candidate (tfjs CPU backend, real digits)', () => {
  it('frees every tensor it made, for adam and sgd-with-momentum, dropout and skips', async () => {
    const baseline = tf.memory().numTensors;
    const genomes = [
      small({ learningRate: 3e-3, batchSize: 32, optimizer: 'adam', epochs: 1 }),
      small({ learningRate: 3e-2, batchSize: 64, optimizer: 'sgd', epochs: 2 }, [
        {
          layers: [
            { kind: 'sepconv', filters: 12, kernel: 3, stride: 2, activation: 'silu' },
            { kind: 'dropout', rate: 0.3 },
          ],
          skip: true,
        },
      ]),
    ];
    // timed against the speed reference, as a training worker does: the reference model is freed too
    const speed = new SpeedReadings();
    for (const g of genomes) {
      const result = await evaluateGenome(g, DIGIT_LIMITS, data, 1, QUICK, {}, undefined, {}, speed);
      expect(result.leakedTensors).toBe(0);
      expect(tf.memory().numTensors).toBe(baseline);
      expect(result.latency.relative).toBeGreaterThan(0);
      expect(result.latency.medianMs).toBeCloseTo(result.latency.relative! * speed.usualMs(), 9);
      // each runtime kernel's own time inside the network, matched to the kernels the cost model lists
      const kernels = networkKernels(lowerGenome(g, DIGIT_LIMITS).nodes);
      expect(result.kernelMs).toHaveLength(kernels.length);
      expect(result.kernelMs!.every((ms) => ms >= 0 && Number.isFinite(ms))).toBe(true);
      expect(result.kernelMs!.reduce((a, b) => a + b, 0)).toBeLessThan(result.latency.medianMs);
    }
  });

  it('learns: a small CNN beats chance clearly after two epochs, and repeats exactly with the same seed', async () => {
    const g = small({ learningRate: 3e-3, batchSize: 16, optimizer: 'adam', epochs: 2 });
    const a = await evaluateGenome(g, DIGIT_LIMITS, data, 7, QUICK);
    const b = await evaluateGenome(g, DIGIT_LIMITS, data, 7, QUICK);
    expect(a.accuracy).toBeGreaterThan(0.5);
    expect(a.history).toHaveLength(2);
    expect(b.history.map((e) => e.loss)).toEqual(a.history.map((e) => e.loss));
    expect(b.accuracy).toBe(a.accuracy);
    expect(a.latency.medianMs).toBeGreaterThan(0);
    expect(a.latency.p25Ms).toBeLessThanOrEqual(a.latency.p75Ms);
  });

  it("trains to the same accuracy on WASM (with this project's gradient kernels) as on tfjs CPU", async () => {
    const g = small({ learningRate: 3e-3, batchSize: 16, optimizer: 'adam', epochs: 2 }, [
      { layers: [{ kind: 'sepconv', filters: 12, kernel: 3, stride: 1, activation: 'relu' }], skip: false },
    ]);
    const cpu = await evaluateGenome(g, DIGIT_LIMITS, data, 3, QUICK);
    registerProjectKernels();
    expect(await tf.setBackend('wasm')).toBe(true);
    const wasmData = onWasm();
    try {
      const wasm = await evaluateGenome(g, DIGIT_LIMITS, wasmData, 3, QUICK);
      expect(cpu.accuracy).toBeGreaterThan(0.5);
      expect(Math.abs(wasm.accuracy - cpu.accuracy)).toBeLessThanOrEqual(0.05);
      expect(Math.abs(wasm.history[1]!.loss - cpu.history[1]!.loss)).toBeLessThan(0.05);
    } finally {
      disposeTensors(wasmData);
      await tf.setBackend('cpu');
    }
  });

  it('releases the resident data on request', () => {
    const before = tf.memory().numTensors;
    disposeTensors(data);
    expect(tf.memory().numTensors).toBe(before - 3);
  });
});
