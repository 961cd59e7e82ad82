import * as tf from '@tensorflow/tfjs';
import { median, quantile } from '../core/stats';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import { buildModel } from '../model/build';
import { inferenceOf, meanRunMs } from './latency';
import { inferencesPerSample, warmupDone, type LatencyProtocol, type PairedReference } from './protocol';

/**
 * A fixed small CNN timed in alternation with every network measured (latency.ts), as the machine's speed
 * reference. Here (two shared virtual cores) the whole machine runs 15-100% slower or faster within seconds, and
 * within milliseconds: over eight rounds one network's median took 0.24-0.40 ms on WASM (CV 0.22 across rounds),
 * while its time over the reference's, sample by sample, repeated with CV 0.04 (docs/measurement.md).
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

const USUAL_QUANTILE = 0.1;

/** Readings kept for the usual speed: the last few minutes of measurement. */
const KEPT_READINGS = 4096;

/** The reference's readings (ms per inference) over a calibration or a run in one worker (usual time: `usualMs`). */
export class SpeedReadings {
  readonly #ms: number[] = [];

  add(ms: number): void {
    this.#ms.push(ms);
    if (this.#ms.length > KEPT_READINGS) this.#ms.splice(0, this.#ms.length - KEPT_READINGS);
  }

  /**
   * The reference's usual time, ms per inference (NaN before any reading): the 10th percentile of its readings,
   * which a slow start (the first seconds of a worker run 30-40% slower here) lifts only until a tenth of the
   * readings are fast, where the median stays lifted until half are (a search's first dozen candidates).
   */
  usualMs(): number {
    return this.#ms.length ? quantile(this.#ms, USUAL_QUANTILE) : NaN;
  }
}

export class SpeedReference implements PairedReference {
  private constructor(
    private readonly model: tf.LayersModel,
    private readonly input: tf.Tensor,
    private readonly once: () => Promise<void>,
    private readonly perSample: number,
    private readonly readings: SpeedReadings,
  ) {}

  /** Builds the reference for this input shape on the current backend and warms it up as the protocol does. */
  static async start(limits: SpaceLimits, p: LatencyProtocol, readings = new SpeedReadings()): Promise<SpeedReference> {
    const model = buildModel(REFERENCE, limits, 1);
    const input = tf.randomUniform([p.batchSize, limits.height, limits.width, limits.channels], 0, 1, 'float32', 1);
    const once = inferenceOf(model, input);
    const warm: number[] = [];
    while (!warmupDone(warm, p)) warm.push(await meanRunMs(once));
    return new SpeedReference(model, input, once, inferencesPerSample(median(warm.slice(-5)), p), readings);
  }

  async sample(): Promise<number> {
    const ms = await meanRunMs(this.once, this.perSample);
    this.readings.add(ms);
    return ms;
  }

  usualMs(): number {
    return this.readings.usualMs();
  }

  dispose(): void {
    this.model.dispose();
    this.input.dispose();
  }
}
