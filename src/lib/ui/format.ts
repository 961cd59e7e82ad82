/**
 * " · about 40 s left" from the rate so far (work started at `startedAt`, `done` of `total` units), or '' until
 * a first unit is done.
 */
export function timeLeft(startedAt: number, done: number, total: number, now: number): string {
  if (!(done > 0) || done >= total) return '';
  return ` · about ${formatDuration(((now - startedAt) * (total - done)) / done)} left`;
}

/** "1 h 4 min", "3 min 20 s", "12 s" */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const percent = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
export const count = (v: number): string => (Number.isFinite(v) ? compact.format(v) : '–');
/** Two decimals, or two significant digits below 0.1 (a layer's share of a fast network). */
const fine = (v: number): string => (Math.abs(v) < 0.1 && v !== 0 ? v.toPrecision(2) : v.toFixed(2));
export const ms = (v: number): string => (Number.isFinite(v) ? `${fine(v)} ms` : '–');
export const mj = (v: number): string => (Number.isFinite(v) ? `${fine(v)} mJ` : '–');

/** "820 mJ", "12.4 J", "3.1 kJ" */
export function formatJoules(j: number): string {
  if (!Number.isFinite(j)) return '–';
  if (j < 1) return `${(j * 1000).toFixed(0)} mJ`;
  if (j < 1000) return `${j.toFixed(1)} J`;
  return `${(j / 1000).toFixed(1)} kJ`;
}

/** Bytes in the unit a person reads: "812 kB", "3.4 MB", "1.2 GB" (powers of 1000, as browsers report quota). */
export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
