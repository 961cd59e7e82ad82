/** Most marks a chart of candidates draws: SVG with 20,000 dots or lines takes seconds to build and to lay out. */
export const MAX_PLOTTED = 1500;

/**
 * The rows a chart draws: all of them when there are at most `max`, else every front row and an even stride
 * through the rest (deterministic, so the picture does not flicker between renders of the same run).
 */
export function plotSample<T>(rows: readonly T[], onFront: (row: T) => boolean, max = MAX_PLOTTED): T[] {
  if (rows.length <= max) return [...rows];
  const front = rows.filter(onFront);
  const others = rows.filter((r) => !onFront(r));
  const room = Math.max(0, max - front.length);
  const step = others.length / Math.max(1, room);
  const picked = room === 0 ? [] : Array.from({ length: Math.min(room, others.length) }, (_, i) => others[Math.floor(i * step)]!);
  return [...picked, ...front];
}
