import { expect, test } from '@playwright/test';

test('benchmark mode replays four searches of NAS-Bench-201 and scores them', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Benchmark mode' }).click();
  const panel = page.getByRole('region', { name: 'Benchmark mode' });
  await panel.getByLabel('Cost').selectOption('pixel3_latency_ms');
  await panel.getByRole('button', { name: 'Run benchmark' }).click();
  const results = panel.getByRole('table', { name: 'Benchmark results' });
  await expect(results).toContainText('after 100 evaluations', { timeout: 60_000 });
  await expect(results.locator('tbody tr')).toHaveCount(4);
  const scores = Object.fromEntries(
    (await results.locator('tbody tr').allInnerTexts()).map((row) => {
      const [name, hv] = row.split('\t');
      return [name!.trim(), Number(hv)];
    }),
  );
  for (const hv of Object.values(scores)) expect(hv).toBeGreaterThan(0.9);
  expect(scores['Cost-screened evolution (ours)']).toBeGreaterThan(scores['Random search']!);
  await expect(panel.getByRole('img', { name: /looked up by ours/ }).locator('circle')).toHaveCount(100);
});
