import type { Page } from 'playwright-core';

/** What the UI thread did from a mark on: long tasks (over 50 ms, Chromium's Long Tasks API) and its longest stall. */
export interface Responsiveness {
  /** Sum of long tasks since the mark, ms. */
  readonly blockedMs: number;
  readonly longestTaskMs: number;
  readonly longTasks: number;
  /** When the last stall of over 1 s ended, ms after the mark; 0 when there was none. */
  readonly lastStallOver1sEndsAtMs: number;
}

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
  }
}

/** Records every long task of the page from its first script on (call before the page loads). */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks!.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The page's clock now (performance.now()), to mark where a measurement starts. */
export const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/** Long tasks since `since` (a pageNow() mark). */
export async function responsivenessSince(page: Page, since: number): Promise<Responsiveness> {
  const tasks = (await page.evaluate(() => window.__longTasks ?? [])).filter((t) => t.start + t.duration > since);
  const stalls = tasks.filter((t) => t.duration > 1000);
  return {
    blockedMs: Math.round(tasks.reduce((s, t) => s + t.duration, 0)),
    longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
    longTasks: tasks.length,
    lastStallOver1sEndsAtMs: Math.round(Math.max(0, ...stalls.map((t) => t.start + t.duration - since))),
  };
}
