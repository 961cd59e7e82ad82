import { chromium, expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandidateRecord, RunRecord } from '../../src/lib/records';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium';
import { png } from '../fixtures/png';
import { parseBundle } from '../../src/lib/bundle/bundle';
import { candidateRows, runStatus, storedRecords, tinyConfig } from './helpers';

test('a folder of images, one sub-folder per class, imports as a dataset and is searched', async ({ page }) => {
  const folder = join(mkdtempSync(join(tmpdir(), 'evonas-images-')), 'shapes');
  for (const [label, draw] of [
    ['stripes', (x: number, _y: number, i: number) => ((x + i) % 4 < 2 ? 230 : 20)],
    ['rings', (x: number, y: number, i: number) => (((x - 5) ** 2 + (y - 5) ** 2 + i) % 9 < 4 ? 230 : 20)],
  ] as const) {
    mkdirSync(join(folder, label), { recursive: true });
    for (let i = 0; i < 20; i++)
      writeFileSync(
        join(folder, label, `${i}.png`),
        png(10, 10, (x, y) => draw(x, y, i)),
      );
  }
  await page.goto('/');
  await page.getByText('Use your own data').click();
  await page.getByLabel('Image folder, one sub-folder per class').setInputFiles(folder);
  const dataset = page.getByRole('combobox', { name: 'Dataset', exact: true });
  await expect(dataset.locator('option:checked')).toHaveText('shapes (yours: 40 images, 10x10x1)');
  await page.getByLabel('Evaluations').fill('3');
  await page.getByLabel('Population').fill('3');
  await page.getByLabel('Max epochs').fill('1');
  await page.getByRole('button', { name: 'Start search' }).click();
  await expect(runStatus(page)).toHaveText('done', { timeout: 120_000 });
  await expect(candidateRows(page)).toHaveCount(3);
  const [run] = await storedRecords<RunRecord>(page, 'runs');
  expect(run!.config.dataset).toMatchObject({ kind: 'stored', name: 'shapes', classNames: ['rings', 'stripes'], images: 40 });
  expect((await storedRecords<CandidateRecord>(page, 'candidates')).every((c) => c.status === 'done')).toBe(true);
});

test('images of different sizes are resized on import to the size chosen; the preview shows class counts and samples', async ({ page }) => {
  const folder = join(mkdtempSync(join(tmpdir(), 'evonas-sizes-')), 'mixed');
  for (const [label, count] of [
    ['small', 12],
    ['large', 21],
  ] as const) {
    mkdirSync(join(folder, label), { recursive: true });
    for (let i = 0; i < count; i++)
      writeFileSync(
        join(folder, label, `${i}.png`),
        label === 'small' ? png(8, 8, (x) => (x < 4 ? 255 : 0)) : png(40, 40, (x, y) => ((x + y + i) % 2 ? 255 : 0)),
      );
  }
  await page.goto('/');
  await page.getByText('Use your own data').click();
  // without a size the import is refused with the way out, and nothing is stored
  await page.getByLabel('Image folder, one sub-folder per class').setInputFiles(folder);
  await expect(page.getByRole('alert')).toContainText('choose a size to resize them to');
  expect(await storedRecords(page, 'datasetMeta')).toHaveLength(0);

  await page.getByLabel(/Resize folder images to/).fill('16');
  await page.getByLabel('Image folder, one sub-folder per class').setInputFiles(folder);
  const dataset = page.getByRole('combobox', { name: 'Dataset', exact: true });
  await expect(dataset.locator('option:checked')).toHaveText('mixed (yours: 33 images, 16x16x1)');

  await page.getByText('Samples and class counts').click();
  const counts = page.getByRole('table', { name: 'Images per class' });
  await expect(counts.getByRole('row')).toHaveText([/large\s*21/, /small\s*12/]);
  await expect(page.getByRole('list', { name: 'Sample images' }).locator('canvas')).toHaveCount(8);
  // the built-in digits: ten classes, 1,797 images
  await dataset.selectOption('digits');
  await expect(page.getByText('1,797 images of 8×8×1, 10 classes')).toBeVisible();
  await expect(counts.getByRole('row')).toHaveCount(10);
});

test('a run exported in one browser profile imports into a fresh one with every candidate intact, and its front is re-measured there', async ({
  page,
  baseURL,
}) => {
  await page.goto('/headless.html');
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  const runId = await page.evaluate((c) => window.evonas.start(c), tinyConfig('cpu', 4));
  expect(await page.evaluate(() => window.evonas.waitForEnd())).toBe('done');
  await page.goto('/');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export run' }).click();
  const bundlePath = join(mkdtempSync(join(tmpdir(), 'evonas-bundle-')), 'run.evonas.json');
  writeFileSync(bundlePath, readFileSync(await (await download).path()));
  const original = await storedRecords<CandidateRecord>(page, 'candidates');

  const fresh = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'evonas-fresh-')), {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    baseURL,
  });
  try {
    const other = fresh.pages()[0] ?? (await fresh.newPage());
    await other.goto('/');
    expect(await storedRecords(other, 'candidates')).toEqual([]);
    await other.getByLabel('Import run…').setInputFiles(bundlePath);
    await expect(candidateRows(other)).toHaveCount(4);
    const imported = await storedRecords<CandidateRecord>(other, 'candidates');
    const bySeq = (list: CandidateRecord[]) => [...list].sort((a, b) => a.seq - b.seq);
    expect(bySeq(imported)).toEqual(bySeq(original));
    expect((await storedRecords<RunRecord>(other, 'runs'))[0]!.id).toBe(runId);

    // compare devices: the imported front measured again here (on WASM, to differ from the run's CPU backend)
    await other.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('wasm');
    const compare = other.getByRole('region', { name: 'Compare devices' });
    await compare.getByRole('button', { name: 'Re-measure the front on this device' }).click();
    const table = compare.getByRole('table', { name: 'Front on each device' });
    await expect(table).toBeVisible({ timeout: 120_000 });
    await expect(table.locator('thead')).toContainText('· cpu ·');
    await expect(table.locator('thead')).toContainText('· wasm ·');
    const [run] = await storedRecords<RunRecord>(other, 'runs');
    const remeasured = run!.remeasures![0]!;
    const frontSeqs = remeasured.candidates.map((c) => c.seq);
    await expect(table.locator('tbody tr')).toHaveCount(frontSeqs.length);
    expect(remeasured.device.backend).toBe('wasm');
    for (const c of remeasured.candidates) {
      expect(c.latencyMs).toBeGreaterThan(0);
      expect(c.energyMj).toBeCloseTo(c.latencyMs * remeasured.power.watts, 6);
    }
    // it survives a reload, and a bundle of the run now carries it
    await other.reload();
    await expect(other.getByRole('table', { name: 'Front on each device' }).locator('tbody tr')).toHaveCount(frontSeqs.length);
    const again = other.waitForEvent('download');
    await other.getByRole('button', { name: 'Export run' }).click();
    const text = readFileSync(await (await again).path(), 'utf8');
    const parsed = parseBundle(text, text.length);
    expect(parsed.ok && parsed.value.run.remeasures?.[0]?.candidates.map((c) => c.seq)).toEqual(frontSeqs);
  } finally {
    await fresh.close();
  }
});
