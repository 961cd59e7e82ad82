import { expect, test } from '@playwright/test';
import { candidateRows, runSmallSearchOnCpu } from './helpers';

test('dashboards: parallel coordinates over every objective, a third objective as colour, the heat map of a candidate', async ({ page }) => {
  await page.goto('/');
  await runSmallSearchOnCpu(page, 3, 3);
  const done = await candidateRows(page).count();

  // one polyline per candidate through all five figures, with the axes' real ends written beside them
  const parallel = page.getByRole('img', { name: 'Parallel coordinates of all objectives' });
  await expect(parallel.locator('g[aria-label="line"] path')).toHaveCount(done);
  await expect(parallel.getByText('Validation error', { exact: true })).toBeVisible();
  await expect(parallel.getByText('FLOPs', { exact: true })).toBeVisible();

  await page.getByRole('combobox', { name: 'colour' }).selectOption('latency');
  const scatter = page.getByRole('img', { name: /shaded by latency/ });
  await expect(scatter.locator('g[aria-label="dot"] circle')).toHaveCount(done);
  await expect(scatter.getByText('Latency (ms)', { exact: true })).toBeVisible(); // the colour legend

  await candidateRows(page).first().click();
  const diagram = page.getByRole('list', { name: /Architecture, shaded/ });
  const boxes = diagram.getByRole('listitem');
  const layers = page.getByRole('table', { name: 'Layers' }).locator('tbody tr');
  await expect(boxes).toHaveCount(await layers.count());
  const shares = await layers.evaluateAll((rows) => rows.map((r) => Number.parseFloat(r.children[4]!.textContent ?? '')));
  expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThan(98);
  expect(shares.reduce((a, b) => a + b, 0)).toBeLessThan(102);
  // without a calibration profile the split is by FLOPs, and the page says so
  await expect(page.getByText(/Shares by FLOPs/)).toBeVisible();
});
