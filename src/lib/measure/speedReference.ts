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

/** Shared readings are kept as whole nanoseconds in an Int32Array (Atomics; a Float64 write could tear). */
const NS_PER_MS = 1e6;

/**
 * Memory for readings a pool's workers share (cell 0: readings ever added, then a ring of KEPT_READINGS), or null
 * where memory cannot be shared (no cross-origin isolation): each worker then keeps its own.
 */
export function sharedReadingsBuffer(isolated = globalThis.crossOriginIsolated === true): SharedArrayBuffer | null {
  return typeof SharedArrayBuffer !== 'undefined' && isolated ? new SharedArrayBuffer(4 * (1 + KEPT_READINGS)) : null;
}

/**
 * The reference's readings (ms per inference) over a calibration or a run (usual time: `usualMs`). With `shared`,
 * every worker of a pool adds to and reads the same readings: each worker's own 10th percentile differed by up to
 * 30% for half a run (one worker's first seconds run slow), and the same network then read 30% apart in the two.
 */
export class SpeedReadings {
  readonly #ms: number[] = [];
  readonly #shared: Int32Array | null;

  constructor(shared: SharedArrayBuffer | null = null) {
    this.#shared = shared && new Int32Array(shared);
  }

  add(ms: number): void {
    const cells = this.#shared;
    if (cells) {
      const i = Atomics.add(cells, 0, 1) % KEPT_READINGS;
      Atomics.store(cells, 1 + i, Math.min(2 ** 31 - 1, Math.max(1, Math.round(ms * NS_PER_MS))));
      return;
    }
    this.#ms.push(ms);
    if (this.#ms.length > KEPT_READINGS) this.#ms.splice(0, this.#ms.length - KEPT_READINGS);
  }

  #readings(): number[] {
    const cells = this.#shared;
    if (!cells) return this.#ms;
    const n = Math.min(Atomics.load(cells, 0), KEPT_READINGS);
    const ms: number[] = [];
    // a slot claimed but not yet written reads 0: skipped
    for (let i = 0; i < n; i++) {
      const ns = Atomics.load(cells, 1 + i);
      if (ns > 0) ms.push(ns / NS_PER_MS);
    }
    return ms;
  }

  /**
   * The reference's usual time, ms per inference (NaN before any reading): the 10th percentile of its readings,
   * which a slow start (the first seconds of a worker run 30-40% slower here) lifts only until a tenth of the
   * readings are fast, where the median stays lifted until half are (a search's first dozen candidates).
   */
  usualMs(): number {
    const ms = this.#readings();
    return ms.length ? quantile(ms, USUAL_QUANTILE) : NaN;
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
