import type { SpaceLimits } from '../genome/types';
import type { CalibrationOptions } from './calibrate';
import { DEFAULT_PROTOCOL } from './protocol';

export type CalibrationSize = 'quick' | 'full';

/**
 * Calibration effort. "full" is the published figure (`npm run bench:costmodel` runs exactly it): 150 fitted
 * networks, what the per-kernel terms need, and the small op grid, a weak prior only (docs/measurement.md), in
 * under a minute on this machine's CPUs.
 */
export function calibrationOptions(size: CalibrationSize, limits: SpaceLimits, seed = 1): CalibrationOptions {
  return size === 'full'
    ? { grid: 'quick', fitNetworks: 150, heldOutNetworks: 30, repeatNetworks: 10, repeats: 3, limits, seed, protocol: DEFAULT_PROTOCOL }
    : { grid: 'quick', fitNetworks: 6, heldOutNetworks: 6, repeatNetworks: 3, repeats: 2, limits, seed, protocol: { ...DEFAULT_PROTOCOL, minTimedMs: 100 } };
}
