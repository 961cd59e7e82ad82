import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CandidateRecord, RunRecord } from '../../src/lib/records';
import { candidateRows, fillSmallSearch, runStatus, storedRecords } from './helpers';

const GOOD = join(process.cwd(), 'tests', 'fixtures', 'good.evonas.json');

test('a run bundle imports whole, exports to the same records, and a second import changes nothing', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Import run…').setInputFiles(GOOD);
  await expect(candidateRows(page)).toHaveCount(2);
  await expect(runStatus(page)).toHaveText('paused');
  await expect(page.getByTestId('storage-usage')).toContainText('used');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export run' }).click();
  const exported = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  const original = JSON.parse(readFileSync(GOOD, 'utf8'));
  expect(exported.candidates).toEqual(original.candidates);
  expect(exported.run).toEqual(original.run);

  await page.getByLabel('Import run…').setInputFiles(GOOD);
  await expect(page.getByRole('alert')).toContainText('is already stored in this browser');
  expect(await storedRecords<CandidateRecord>(page, 'candidates')).toHaveLength(2);

  await page.getByLabel('Import run…').setInputFiles(join(process.cwd(), 'tests', 'fixtures', 'bad', 'unknown-op.evonas.json'));
  await expect(page.getByRole('alert')).toContainText('Invalid type');
  expect(await storedRecords<RunRecord>(page, 'runs')).toHaveLength(1);
});

test('a bundle exported by an earlier version imports in the page and opens with its front', async ({ page }) => {
  const file = join(process.cwd(), 'tests', 'fixtures', 'exported', 'v1-2026-12-02.evonas.json');
  const original = JSON.parse(readFileSync(file, 'utf8')) as { candidates: unknown[] };
  await page.goto('/');
  await page.getByLabel('Import run…').setInputFiles(file);
  await expect(candidateRows(page)).toHaveCount(original.candidates.length);
  await expect(runStatus(page)).toHaveText('done');
  await expect(page.getByText(new RegExp(`^${original.candidates.length} points, [1-9]\\d* on the front`))).toBeVisible();
  expect(await storedRecords<CandidateRecord>(page, 'candidates')).toHaveLength(original.candidates.length);
});

test('a full disk pauses the run with a clear message and loses nothing already stored', async ({ page, context, baseURL }) => {
  // Chrome reads an origin's quota once per session, so the small disk is set before the app first stores anything
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 150_000 });
  await page.goto('/');
  await fillSmallSearch(page, 60, 3);
  await page.getByLabel('Training images').fill('100');
  // one worker: candidates finish in sequence order, so what is stored is a prefix of the run
  await page.getByLabel('Training workers').fill('1');
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('cpu');
  await page.getByRole('button', { name: 'Start search' }).click();
  await expect(page.getByRole('alert')).toContainText('Storage is full', { timeout: 240_000 });
  await expect(page.getByRole('alert')).toContainText('Nothing already stored was lost');
  await expect(runStatus(page)).toHaveText('paused');
  await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
  const stored = await storedRecords<CandidateRecord>(page, 'candidates');
  expect(stored.length).toBeGreaterThan(0);
  expect(stored.length).toBeLessThan(60);
  expect(stored.map((c) => c.seq).sort((a, b) => a - b)).toEqual([...Array(stored.length).keys()]);
  await expect(candidateRows(page)).toHaveCount(stored.length);
});
