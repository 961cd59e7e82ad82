import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { bigRunBundle, type BigRunKind } from './bigBundle';
import { pageNow, responsivenessSince, type Responsiveness } from './responsiveness';

/** How the page coped with one large run: imported, then used, then reloaded (the newest run opens on start). */
export interface BigRunUiFigures {
  readonly kind: BigRunKind;
  readonly candidates: number;
  readonly bundleMb: number;
  /** From choosing the file to the run's plot note showing every point, ms. */
  readonly importShownMs: number;
  readonly afterImport: Responsiveness;
  /** Sorting the table by accuracy, then opening a candidate: each from the click to the change on screen, ms. */
  readonly sortMs: number;
  readonly selectMs: number;
  readonly reloadShownMs: number;
  readonly afterReload: Responsiveness;
  /** Resuming the run for a few more candidates (trained on WASM): the page updating once per candidate. */
  readonly resumed: { readonly candidates: number; readonly ms: number; readonly during: Responsiveness } | null;
}

const settle = (page: Page, ms: number) => page.waitForTimeout(ms);

/**
 * Imports a bundle of `n` candidates through the page's "Import run…" input and measures the UI thread (the page
 * must have been opened after recordLongTasks). Long tasks are read `settleMs` after each step.
 */
export async function measureBigRun(page: Page, n: number, kind: BigRunKind, settleMs = 2000, resumeFor = 0): Promise<BigRunUiFigures> {
  const file = join(mkdtempSync(join(tmpdir(), 'evonas-big-')), `${kind}-${n}.evonas.json`);
  const text = bigRunBundle(n, kind, 1, resumeFor);
  writeFileSync(file, text);
  // an attribute selector: polling for text would itself load the UI thread with a 20,000-row DOM
  const shown = page.locator(`[data-points="${n}"]`);
  const importMark = await pageNow(page);
  const t0 = Date.now();
  await page.getByLabel('Import run…').setInputFiles(file);
  await shown.waitFor({ timeout: 120_000 });
  const importShownMs = Date.now() - t0;
  await settle(page, settleMs);
  const afterImport = await responsivenessSince(page, importMark);

  const accuracyHeader = page.getByRole('columnheader', { name: 'Val. accuracy' });
  const t1 = Date.now();
  await accuracyHeader.getByRole('button').click();
  await accuracyHeader.and(page.locator('[aria-sort="ascending"]')).waitFor();
  const sortMs = Date.now() - t1;
  const t2 = Date.now();
  await page
    .getByRole('button', { name: /^Open candidate #/ })
    .first()
    .click();
  await page.getByRole('region', { name: 'Candidate detail' }).waitFor();
  const selectMs = Date.now() - t2;

  const t3 = Date.now();
  await page.reload();
  const reloadMark = 0; // a new document: its clock starts again
  await shown.waitFor({ timeout: 120_000 });
  const reloadShownMs = Date.now() - t3;
  await settle(page, settleMs);
  const afterReload = await responsivenessSince(page, reloadMark);
  const resumed = resumeFor > 0 ? await resume(page, n + resumeFor) : null;
  return {
    kind,
    candidates: n,
    bundleMb: +(text.length / 2 ** 20).toFixed(1),
    importShownMs,
    afterImport,
    sortMs,
    selectMs,
    reloadShownMs,
    afterReload,
    resumed,
  };
}

async function resume(page: Page, total: number): Promise<NonNullable<BigRunUiFigures['resumed']>> {
  const mark = await pageNow(page);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.locator(`[data-points="${total}"]`).waitFor({ timeout: 300_000 });
  return { candidates: total, ms: Date.now() - t0, during: await responsivenessSince(page, mark) };
}
