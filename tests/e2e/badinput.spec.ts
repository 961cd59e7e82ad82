import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHeadless, storedRecords } from './helpers';
import { BAD_DIR, badInputCases } from '../fixtures/cases';

const cases = badInputCases();

test(`every malformed file in tests/fixtures/bad (${cases.length} cases) is refused in the browser with its message, and nothing is stored`, async ({
  page,
  baseURL,
}) => {
  await openHeadless(page);
  await page.route(`${baseURL}/__fixture/**`, (route) =>
    route.fulfill({ body: readFileSync(join(BAD_DIR, decodeURIComponent(new URL(route.request().url()).pathname.slice('/__fixture/'.length)))) }),
  );
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let rejected = 0;
  for (const c of cases) {
    const result =
      c.kind === 'bundle'
        ? await page.evaluate((text) => window.evonas.importRun(text), readFileSync(join(BAD_DIR, c.files[0]!), 'utf8'))
        : await page.evaluate(
            (files) => window.evonas.importDataset(files),
            c.files.map((f) => ({ name: f.split('/').pop()!, path: f, url: `${baseURL}/__fixture/${f}` })),
          );
    expect(result.ok, c.name).toBe(false);
    if (!result.ok) {
      expect(result.message, c.name).toContain(c.message);
      rejected++;
    }
  }
  console.log(JSON.stringify({ cases: cases.length, rejected }));
  expect(rejected).toBe(cases.length);
  expect(await storedRecords(page, 'runs')).toEqual([]);
  expect(await storedRecords(page, 'datasetMeta')).toEqual([]);
  expect(errors).toEqual([]);
});

test('a good IDX pair imports as a dataset a search can train on', async ({ page, baseURL }) => {
  await openHeadless(page);
  await page.route(`${baseURL}/__fixture/*`, (route) =>
    route.fulfill({ body: readFileSync(join(BAD_DIR, new URL(route.request().url()).pathname.split('/').pop()!)) }),
  );
  const result = await page.evaluate(
    (files) => window.evonas.importDataset(files),
    ['images-idx3-ubyte', 'labels-idx1-ubyte'].map((f) => ({ name: f, url: `${baseURL}/__fixture/${f}` })),
  );
  expect(result.ok && [result.meta.images, result.meta.height, result.meta.classNames.length]).toEqual([30, 8, 3]);
});
