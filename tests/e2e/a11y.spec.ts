import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { candidateRows, fillSmallSearch, runStatus, runSmallSearchOnCpu } from './helpers';

/** WCAG 2.1 A and AA rules from axe-core, on what the page shows now. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join('; ')})`,
  );
}

test('the set-up, a finished run with a candidate open, and benchmark mode pass axe (WCAG 2.1 AA)', async ({ page }) => {
  await page.goto('/');
  await page.getByText('Samples and class counts').click();
  await expect(page.getByRole('table', { name: 'Images per class' })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await runSmallSearchOnCpu(page, 3, 3);
  await candidateRows(page).first().click();
  await expect(page.getByRole('region', { name: 'Candidate detail' })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Benchmark mode' }).click();
  expect(await violations(page)).toEqual([]);
});

test('a search can be set up, started and a candidate opened with the keyboard alone', async ({ page }) => {
  await page.goto('/');
  await fillSmallSearch(page, 2, 2);
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('cpu');
  await page.getByRole('button', { name: 'Start search' }).focus();
  await page.keyboard.press('Enter');
  await expect(runStatus(page)).toHaveText('done', { timeout: 120_000 });
  await page.getByRole('button', { name: 'Open candidate #0' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Candidate detail' })).toBeVisible();
});

test('on a phone-sized screen nothing runs off the side: a finished run with a candidate open fits 390 px', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  await runSmallSearchOnCpu(page, 3, 3);
  await page.getByRole('button', { name: 'Open candidate #0' }).click();
  await expect(page.getByRole('region', { name: 'Candidate detail' })).toBeVisible();
  // wide tables and charts scroll inside their own boxes; the page itself never scrolls sideways
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
