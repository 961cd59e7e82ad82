/** The slice of a long table's rows to render, and the space the rest take above and below it. */
export interface RowWindow {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
  readonly beforePx: number;
  readonly afterPx: number;
}

/**
 * Rows on screen plus `overscan` either side, at least `minRows` (a short table renders whole): the table's DOM
 * stays a few dozen rows whether the run has 20 candidates or 20,000.
 */
export function rowWindow(total: number, scrollTopPx: number, viewportPx: number, rowPx: number, overscan = 20, minRows = 60): RowWindow {
  const visible = Math.max(minRows, Math.ceil(viewportPx / rowPx) + 2 * overscan);
  const start = Math.max(0, Math.min(Math.floor(scrollTopPx / rowPx) - overscan, total - visible));
  const end = Math.min(total, start + visible);
  return { start, end, beforePx: start * rowPx, afterPx: (total - end) * rowPx };
}
