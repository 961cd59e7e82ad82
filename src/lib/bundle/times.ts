/** Every field of a bundle that holds a wall-clock time (ms since 1970), whatever record it is in. */
const TIME_KEYS = new Set(['createdAt', 'updatedAt', 'finishedAt', 'savedAt', 'exportedAt', 'measuredAt', 'capturedAt', 'calibratedAt', 'at']);

/** Clocks of the devices of a shared run may disagree; a day ahead is a wrong clock or an edited file. */
export const CLOCK_SLACK_MS = 24 * 3600_000;

/**
 * The first time later than `now` + CLOCK_SLACK_MS and where it is ("candidates[3].finishedAt"), or null. A
 * time in the future would sort a run above every real one and make durations negative.
 */
export function futureTime(data: unknown, now: number, path = ''): { path: string; time: number } | null {
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) {
      const found = futureTime(data[i], now, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (typeof data === 'object' && data !== null) {
    for (const [key, value] of Object.entries(data)) {
      const here = path ? `${path}.${key}` : key;
      if (TIME_KEYS.has(key) && typeof value === 'number' && value > now + CLOCK_SLACK_MS) return { path: here, time: value };
      const found = futureTime(value, now, here);
      if (found) return found;
    }
  }
  return null;
}
