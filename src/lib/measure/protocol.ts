import { coefficientOfVariation, median, quantile } from '../core/stats';
import type { LatencyResult } from '../records/figures';

/** How every latency figure of the app is taken (pure decisions; the timing itself is in latency.ts). */
export interface LatencyProtocol {
  /** Timed runs at least; more for fast models, see `minTimedMs`. */
  readonly runs: number;
  /** Time at least this long in total, so sub-millisecond models get enough samples. */
  readonly minTimedMs: number;
  readonly maxRuns: number;
  readonly minWarmup: number;
  readonly maxWarmup: number;
  /** Warm-up ends once the median of the last 5 runs is within this fraction of the 5 before. */
  readonly stableWithin: number;
  readonly batchSize: number;
  /**
   * Each timed sample runs the model back to back until it lasts this long, and counts their mean: a model of
   * 50 us is otherwise timed in steps of the 5 us timer and in the jitter of one await. Absent: one per sample.
   */
  readonly minSampleMs?: number;
  /**
   * Warm-up lasts at least this long (ms of back-to-back runs after the model itself has settled): what a worker
   * that was just training needs before its inference path runs at speed. Absent: no minimum.
   */
  readonly minWarmupMs?: number;
  /** A take whose spread (see `spreadOf`) exceeds `retakeSpread` is timed again, up to `retakes` times. */
  readonly retakeSpread?: number;
  readonly retakes?: number;
}

/** Interquartile range over median of a timing's samples: a few percent in quiet, 0.3-1 when disturbed. */
export const spreadOf = (r: Pick<LatencyResult, 'p25Ms' | 'p75Ms' | 'medianMs'>): number => (r.p75Ms - r.p25Ms) / r.medianMs;

export const DEFAULT_PROTOCOL: LatencyProtocol = {
  runs: 30,
  minTimedMs: 100,
  maxRuns: 400,
  minWarmup: 5,
  maxWarmup: 60,
  stableWithin: 0.1,
  batchSize: 1,
  minSampleMs: 2,
};

/**
 * A candidate timed in the worker that has just trained it: timed twice in a row, its first 100 ms of inference
 * ran slower than the next in 35 of 40 candidates (by 7%, up to 40%), and the same architecture measured
 * 0.032/0.053 ms in one run; after a 100 ms warm-up, repeats agree (docs/measurement.md).
 */
export const AFTER_TRAINING_PROTOCOL: LatencyProtocol = { ...DEFAULT_PROTOCOL, minWarmupMs: 100, retakeSpread: 0.25, retakes: 2 };

/** Inferences per timed sample: enough to fill `minSampleMs` at the warm speed (at most 1,000). */
export function inferencesPerSample(warmMedianMs: number, p: LatencyProtocol): number {
  if (!p.minSampleMs || !(warmMedianMs > 0)) return 1;
  return Math.min(1000, Math.max(1, Math.ceil(p.minSampleMs / warmMedianMs)));
}

/** Whether warm-up has settled: at least `minWarmup` runs and two consecutive windows of 5 agree. */
export function warmupDone(warm: readonly number[], p: LatencyProtocol): boolean {
  if (warm.length >= p.maxWarmup) return true;
  if (warm.length < Math.max(p.minWarmup, 10)) return false;
  const last = median(warm.slice(-5));
  const before = median(warm.slice(-10, -5));
  return Math.abs(last - before) <= p.stableWithin * before;
}

/** Number of timed samples: `runs`, or enough to fill `minTimedMs` at the warm speed, capped at `maxRuns`. */
export function timedRuns(warmMedianMs: number, p: LatencyProtocol): number {
  const sampleMs = warmMedianMs * inferencesPerSample(warmMedianMs, p);
  const byTime = sampleMs > 0 ? Math.ceil(p.minTimedMs / sampleMs) : p.maxRuns;
  return Math.min(p.maxRuns, Math.max(p.runs, byTime));
}

export function summarize(coldMs: number, warm: readonly number[], timed: readonly number[], batchSize: number): LatencyResult {
  return {
    coldMs,
    medianMs: median(timed),
    p25Ms: quantile(timed, 0.25),
    p75Ms: quantile(timed, 0.75),
    cv: coefficientOfVariation(timed),
    runs: timed.length,
    warmupRuns: warm.length,
    batchSize,
  };
}

/** What a latency take needs of the reference: one timed sample, and the reference's usual time. */
export interface PairedReference {
  /** Times the reference once (enough runs back to back to fill the protocol's sample); ms per inference. */
  sample(): Promise<number>;
  usualMs(): number;
}

/**
 * A take timed in alternation with the speed reference: each sample's time over the reference sample right after
 * it, times the reference's usual time. A spell that slows the machine slows both alike, and cancels.
 */
export function summarizePaired(
  coldMs: number,
  warm: readonly number[],
  timed: readonly number[],
  referenceMs: readonly number[],
  usualReferenceMs: number,
  batchSize: number,
): LatencyResult {
  const ratios = timed.map((ms, i) => ms / referenceMs[i]!);
  const relative = median(ratios);
  return {
    ...summarize(
      coldMs,
      warm,
      ratios.map((r) => r * usualReferenceMs),
      batchSize,
    ),
    relative,
    rawMedianMs: median(timed),
  };
}

/** A paired result's ms figures at `usualReferenceMs`, a later (steadier) reading of the reference's usual time. */
export function atUsualTime(r: LatencyResult, usualReferenceMs: number): LatencyResult {
  if (r.relative === undefined) return r;
  const factor = (r.relative * usualReferenceMs) / r.medianMs;
  return { ...r, medianMs: r.medianMs * factor, p25Ms: r.p25Ms * factor, p75Ms: r.p75Ms * factor };
}

export type { LatencyResult } from '../records/figures';
