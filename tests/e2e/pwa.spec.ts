import { expect, test } from '@playwright/test';
import { candidateRows, fillSmallSearch, runStatus } from './helpers';

test('installable and offline: a manifest with icons, then the app shell and the digits served without a network', async ({ page, context }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = (await (await page.request.get(href!)).json()) as { display: string; start_url: string; icons: { sizes: string; type: string }[] };
  expect(manifest.display).toBe('standalone');
  expect(manifest.start_url).toBe('/');
  expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons) expect(icon.type).toBe('image/png');
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Start search' })).toBeEnabled();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true); // WASM threads still available offline
  await fillSmallSearch(page, 2, 2);
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('cpu');
  await page.getByRole('button', { name: 'Start search' }).click();
  await expect(runStatus(page)).toHaveText('done', { timeout: 120_000 });
  await expect(candidateRows(page)).toHaveCount(2);
});
