import { MAX_POOL_SIZE } from '../../src/lib/run/config';
import type { RunConfig } from '../../src/lib/records';
import { UsageError } from './args';

// The run options the headless runner and the benchmarks share, each checked with a one-line UsageError.

export function choose<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

export function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (value < 1) throw new UsageError(`--${name} must be at least 1, got ${value}`);
  return value;
}

/** --workers N: training workers side by side (absent: sized for the device). */
export function workersFrom(value: number | undefined): Pick<RunConfig, 'workers'> {
  if (value === undefined) return {};
  if (value < 1 || value > MAX_POOL_SIZE) throw new UsageError(`--workers must be from 1 to ${MAX_POOL_SIZE}, got ${value}`);
  return { workers: value };
}

/** --minutes M: no candidate starts after M minutes of running; those in flight finish and the run ends done. */
export function minutesFrom(value: number | undefined): Pick<RunConfig, 'maxMinutes'> {
  if (value === undefined) return {};
  if (!(value > 0)) throw new UsageError(`--minutes must be a positive number, got ${value}`);
  return { maxMinutes: value };
}

/** --multi-fidelity / --inherit-weights on|off; absent: the set-up's default (multi-fidelity on for ours). */
export function onOff(raw: string | undefined, flag: string, key: 'multiFidelity' | 'inheritWeights'): Partial<Record<typeof key, boolean>> {
  if (raw === undefined) return {};
  if (raw !== 'on' && raw !== 'off') throw new UsageError(`--${flag} must be on or off; got "${raw}"`);
  return { [key]: raw === 'on' };
}
