import type * as tf from '@tensorflow/tfjs';
import { median } from '../core/stats';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import { buildModel } from '../model/build';
import { measureModel } from './latency';
import { DEFAULT_PROTOCOL, type LatencyProtocol } from './protocol';

/**
 * A fixed small CNN timed between measurements as the machine's speed gauge. Here (two shared cores) the whole
 * machine runs 15-50% slower for seconds at a time, lifting every network timed then alike: a network's time
 * divided by the gauge's around it, times the gauge's median, is its latency at the machine's usual speed.
 */
const REFERENCE: CnnGenome = {
  blocks: [
    {
      layers: [
        { kind: 'conv', filters: 8, kernel: 3, stride: 1, activation: 'relu' },
        { kind: 'pool', mode: 'max', size: 2 },
        { kind: 'conv', filters: 16, kernel: 3, stride: 1, activation: 'relu' },
      ],
      skip: false,
    },
  ],
  head: 'gap',
  training: { optimizer: 'adam', learningRate: 0.001, batchSize: 32, epochs: 1, schedule: 'constant' },
};

/** Short: the gauge costs a tenth of a network's measurement, taken once per network. */
const GAUGE_PROTOCOL: LatencyProtocol = { ...DEFAULT_PROTOCOL, runs: 5, minTimedMs: 10, maxRuns: 20, minWarmup: 5, maxWarmup: 20 };

export class SpeedGauge {
  readonly #model: tf.LayersModel;
  readonly #readings: number[] = [];

  constructor(limits: SpaceLimits) {
    this.#model = buildModel(REFERENCE, limits, 1);
  }

  /** Times the reference now (ms) and keeps the reading. */
  async read(): Promise<number> {
    const ms = (await measureModel(this.#model, GAUGE_PROTOCOL)).medianMs;
    this.#readings.push(ms);
    return ms;
  }

  /** The reference's usual time: the median of every reading so far. */
  usualMs(): number {
    return median(this.#readings);
  }

  dispose(): void {
    this.#model.dispose();
  }
}

/** Times taken with the gauge read around each (`around`: the mean of the readings before and after it, ms). */
export interface GaugedTimes {
  readonly raw: readonly number[];
  readonly around: readonly number[];
}

/** Times `count` networks one after another, reading the gauge before each and after the last. */
export async function timeGauged(
  count: number,
  time: (i: number) => Promise<number>,
  gauge: Pick<SpeedGauge, 'read'>,
  onDone: (done: number, total: number) => void = () => undefined,
): Promise<GaugedTimes> {
  const raw: number[] = [];
  const readings: number[] = [];
  for (let i = 0; i < count; i++) {
    readings.push(await gauge.read());
    raw.push(await time(i));
    onDone(i + 1, count);
  }
  if (count > 0) readings.push(await gauge.read());
  return { raw, around: raw.map((_, i) => (readings[i]! + readings[i + 1]!) / 2) };
}

/**
 * A reading departs from the usual by up to this much on its own (the gauge's own noise: on a calm machine here
 * its 90th percentile was 1.05-1.17x the median while the networks repeated within 2%); only a spell beyond it
 * is corrected.
 */
const GAUGE_NOISE = 0.1;

/**
 * Each time scaled to the machine's usual speed: divided by how much slower than `usualMs` the gauge ran around
 * it (the median of the readings around it and its two neighbours, its own counted twice at either end, since a
 * spell lasts several networks and one reading can be off alone), where that is more than GAUGE_NOISE.
 */
export function atUsualSpeed(t: GaugedTimes, usualMs: number): number[] {
  return t.raw.map((ms, i) => {
    const own = t.around[i]!;
    const slowdown = median([t.around[i - 1] ?? own, own, t.around[i + 1] ?? own]) / usualMs;
    return Math.abs(slowdown - 1) > GAUGE_NOISE ? ms / slowdown : ms;
  });
}
