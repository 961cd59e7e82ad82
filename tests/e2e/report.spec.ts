import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { CandidateRecord } from '../../src/lib/run/records';
import { candidateRows, storedRecords, runSmallSearchOnCpu } from './helpers';

/** The report recomputed here from the stored candidates, independently of the app's code. */
function expected(candidates: readonly CandidateRecord[], points: number) {
  const done = candidates.filter((c) => c.status === 'done' && !c.overBudget);
  const top = Math.max(...done.map((c) => c.metrics.accuracy));
  const cheapest = (list: CandidateRecord[]) => [...list].sort((a, b) => a.metrics.energyMj - b.metrics.energyMj || a.metrics.params - b.metrics.params || a.seq - b.seq)[0]!;
  const best = cheapest(done.filter((c) => c.metrics.accuracy === top));
  const chosen = cheapest(done.filter((c) => (top - c.metrics.accuracy) * 100 <= points + 1e-9));
  return { best, chosen, energy: best.metrics.energyMj / chosen.metrics.energyMj };
}

test('the report on a finished run names the cheapest candidate within the tolerance, matching the candidate table', async ({ page }) => {
  await page.goto('/');
  await runSmallSearchOnCpu(page, 10, 5);
  await expect(candidateRows(page)).toHaveCount(10);
  const candidates = await storedRecords<CandidateRecord>(page, 'candidates');

  for (const points of [1, 5]) {
    await page.getByRole('slider', { name: 'Accuracy tolerance in points' }).fill(String(points));
    const want = expected(candidates, points);
    const report = page.getByRole('region', { name: 'Report' });
    await expect(report).toContainText(`Candidate #${want.chosen.seq} (`);
    await expect(report).toContainText(`most accurate, #${want.best.seq}`);
    const ratio = want.energy;
    await expect(page.getByTestId('report-summary')).toContainText(Math.abs(ratio - 1) < 0.05 ? 'same energy' : ratio > 1 ? `${ratio.toFixed(1)}x less energy` : `${(1 / ratio).toFixed(1)}x more energy`);
    // the chosen candidate's row in the table shows the same accuracy
    await expect(candidateRows(page).filter({ has: page.locator('td', { hasText: new RegExp(`^${want.chosen.seq}$`) }) }).first()).toContainText(`${(want.chosen.metrics.accuracy * 100).toFixed(1)}%`);
  }

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download report (Markdown)' }).click();
  const markdown = readFileSync(await (await download).path(), 'utf8');
  expect(markdown).toContain(await page.getByTestId('report-summary').innerText());
  const html = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download report (HTML)' }).click();
  const page2 = readFileSync(await (await html).path(), 'utf8');
  expect(page2).toMatch(/^<!doctype html>[^]*<svg[^]*<\/html>\n$/);
  expect(page2).not.toContain('<script');
});
