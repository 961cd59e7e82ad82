import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { candidateRows, fillSmallSearch, runStatus, runSmallSearchOnCpu } from './helpers';

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
  await runSmallSearchOnCpu(page, 2, 2);
  await expect(candidateRows(page)).toHaveCount(2);
});

test('a new version is offered by a prompt, held back while a search runs, and applied only when the user says so', async ({ page }) => {
  const swPath = join(process.cwd(), 'dist', 'sw.js');
  const original = readFileSync(swPath, 'utf8');
  try {
    await page.goto('/');
    await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
    await fillSmallSearch(page, 40, 4);
    await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('cpu');
    await page.getByRole('button', { name: 'Start search' }).click();
    await expect(runStatus(page)).toHaveText('running');

    // a new build: the served service worker's bytes change, and the page checks for updates
    writeFileSync(swPath, `${original}\n// next version\n`);
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const banner = page.getByText('A new version of the app is ready.');
    await expect(banner).toBeVisible({ timeout: 60_000 });
    await expect(banner).toContainText('offered again when the search is paused or done');
    await expect(page.getByRole('button', { name: 'Update now' })).toHaveCount(0);
    const seen = await candidateRows(page).count();
    await expect.poll(() => candidateRows(page).count(), { timeout: 120_000 }).toBeGreaterThan(seen); // the search goes on, no reload

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(runStatus(page)).toHaveText('paused');
    const reloaded = page.waitForEvent('load');
    await page.getByRole('button', { name: 'Update now' }).click();
    await reloaded;
    await expect.poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    await expect(page.getByText('A new version of the app is ready.')).toHaveCount(0);
    await expect(runStatus(page)).toHaveText('paused'); // nothing lost: the run is still there to resume
  } finally {
    writeFileSync(swPath, original);
  }
});
