import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { CandidateRecord } from '../../src/lib/records';
import { candidateRows, storedRecords, runSmallSearchOnCpu } from './helpers';

/** The report recomputed here from the stored candidates, independently of the app's code. */
function expected(candidates: readonly CandidateRecord[], points: number) {
  const done = candidates.filter((c) => c.status === 'done' && !c.overBudget);
  const top = Math.max(...done.map((c) => c.metrics.accuracy));
  const cheapest = (list: CandidateRecord[]) =>
    [...list].sort((a, b) => a.metrics.energyMj - b.metrics.energyMj || a.metrics.params - b.metrics.params || a.seq - b.seq)[0]!;
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
    await expect(page.getByTestId('report-summary')).toContainText(
      Math.abs(ratio - 1) < 0.05 ? 'same energy' : ratio > 1 ? `${ratio.toFixed(1)}x less energy` : `${(1 / ratio).toFixed(1)}x more energy`,
    );
    // the chosen candidate's row in the table shows the same accuracy
    await expect(
      candidateRows(page)
        .filter({ has: page.locator('td', { hasText: new RegExp(`^${want.chosen.seq}$`) }) })
        .first(),
    ).toContainText(`${(want.chosen.metrics.accuracy * 100).toFixed(1)}%`);
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

test("the report retrains the front on the whole training split and states each network's test accuracy, kept over a reload", async ({ page }) => {
  await page.goto('/');
  await runSmallSearchOnCpu(page, 4, 2);
  const section = page.getByRole('region', { name: 'Test the front' });
  await section.getByLabel('Epochs').fill('1');
  const button = section.getByRole('button', { name: /^Retrain and test the front \(\d+ networks?\)$/ });
  const networks = Number((await button.innerText()).match(/\((\d+) network/)![1]);
  await button.click();
  await expect(section.getByTestId('front-test-summary')).toBeVisible({ timeout: 240_000 });
  await expect(section.getByRole('status')).toHaveCount(0, { timeout: 240_000 });

  const tested = (await storedRecords<CandidateRecord>(page, 'candidates')).filter((c) => c.fullRetrain);
  expect(tested).toHaveLength(networks);
  const rows = section.getByRole('table', { name: 'Front on the test split' }).locator('tbody tr');
  await expect(rows).toHaveCount(networks);
  for (const c of tested) {
    expect(c.fullRetrain!.epochs).toBe(1);
    await expect(rows.filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${c.seq}$`) }) })).toContainText(
      `${(c.fullRetrain!.testAccuracy * 100).toFixed(1)}%`,
    );
  }
  const best = tested.reduce((a, b) => (b.fullRetrain!.testAccuracy > a.fullRetrain!.testAccuracy ? b : a));
  await expect(section.getByTestId('front-test-summary')).toContainText(`at ${(best.fullRetrain!.testAccuracy * 100).toFixed(1)}%`);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download report (Markdown)' }).click();
  expect(readFileSync(await (await download).path(), 'utf8')).toMatch(/\| most accurate \| #\d+ \| [\d.]+% \| [\d.]+% \|/);

  await page.reload();
  await expect(page.getByRole('region', { name: 'Test the front' }).getByRole('table', { name: 'Front on the test split' }).locator('tbody tr')).toHaveCount(
    networks,
  );
});
