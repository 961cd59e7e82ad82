/** How often progress crosses a worker boundary at most. */
const PROGRESS_INTERVAL_MS = 200;

/**
 * Passes a progress call on at most every PROGRESS_INTERVAL_MS, and always when `isLast` says it ends a stage
 * (an epoch, an import), so the last figure is never dropped. A missing listener hears nothing.
 */
export function throttled<A extends unknown[]>(listener: ((...args: A) => void) | undefined, isLast: (...args: A) => boolean): (...args: A) => void {
  let last = 0;
  return (...args) => {
    if (!listener) return;
    const now = Date.now(); // Date, not performance: core runs in every context, and 200 ms needs no finer clock
    if (now - last < PROGRESS_INTERVAL_MS && !isLast(...args)) return;
    last = now;
    void listener(...args);
  };
}
