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
}

export const DEFAULT_PROTOCOL: LatencyProtocol = { runs: 30, minTimedMs: 300, maxRuns: 400, minWarmup: 5, maxWarmup: 60, stableWithin: 0.1, batchSize: 1 };

/** Whether warm-up has settled: at least `minWarmup` runs and two consecutive windows of 5 agree. */
export function warmupDone(warm: readonly number[], p: LatencyProtocol): boolean {
  if (warm.length >= p.maxWarmup) return true;
  if (warm.length < Math.max(p.minWarmup, 10)) return false;
  const last = median(warm.slice(-5));
  const before = median(warm.slice(-10, -5));
  return Math.abs(last - before) <= p.stableWithin * before;
}

/** Number of timed runs: `runs`, or enough to fill `minTimedMs` at the warm speed, capped at `maxRuns`. */
export function timedRuns(warmMedianMs: number, p: LatencyProtocol): number {
  const byTime = warmMedianMs > 0 ? Math.ceil(p.minTimedMs / warmMedianMs) : p.maxRuns;
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

export type { LatencyResult } from '../records/figures';
