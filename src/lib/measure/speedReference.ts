import * as tf from '@tensorflow/tfjs';
import { median, quantile } from '../core/stats';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import { buildModel } from '../model/build';
import { inferencesPerSample, warmupDone, type LatencyProtocol } from './protocol';

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

/** The reference's readings (ms per inference) over a calibration or a worker's life: its usual time is their median. */
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

/** What a latency take needs of the reference: one timed sample, and the reference's usual time. */
export interface PairedReference {
  /** Times the reference once (enough runs back to back to fill the protocol's sample); ms per inference. */
  sample(): Promise<number>;
  usualMs(): number;
}

export class SpeedReference implements PairedReference {
  private constructor(
    private readonly model: tf.LayersModel,
    private readonly input: tf.Tensor,
    private readonly perSample: number,
    private readonly readings: SpeedReadings,
  ) {}

  /** Builds the reference for this input shape on the current backend and warms it up as the protocol does. */
  static async start(limits: SpaceLimits, p: LatencyProtocol, readings = new SpeedReadings()): Promise<SpeedReference> {
    const model = buildModel(REFERENCE, limits, 1);
    const input = tf.randomUniform([p.batchSize, limits.height, limits.width, limits.channels], 0, 1, 'float32', 1);
    const warm: number[] = [];
    while (!warmupDone(warm, p)) warm.push(await timeRuns(model, input, 1));
    return new SpeedReference(model, input, inferencesPerSample(median(warm.slice(-5)), p), readings);
  }

  async sample(): Promise<number> {
    const ms = await timeRuns(this.model, this.input, this.perSample);
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

/** Mean ms of `k` inferences back to back, each read back. */
async function timeRuns(model: tf.LayersModel, input: tf.Tensor, k: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < k; i++) {
    const output = model.predict(input) as tf.Tensor;
    await output.data();
    output.dispose();
  }
  return (performance.now() - start) / k;
}
