import { expect, test } from '@playwright/test';
import type { RunRecord } from '../../src/lib/records';
import { candidateRows, fillSmallSearch, runStatus, storedCandidates, storedRecords } from './helpers';

test('a search started from the UI evolves on WebGPU, resumes after a reload and is stored in IndexedDB', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/');
  await fillSmallSearch(page, 16, 4); // enough candidates that a reload lands mid-run even when training is fast
  // "auto" passes over a software WebGPU (SwiftShader, as here) for WASM: ask for WebGPU by name
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('webgpu');
  await page.getByRole('button', { name: 'Start search' }).click();
  await expect(runStatus(page)).toHaveText('running');
  await expect(page.getByText('backend: webgpu')).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => candidateRows(page).count(), { timeout: 180_000 }).toBeGreaterThanOrEqual(2);

  await page.reload();
  expect(await candidateRows(page).count()).toBeLessThan(16);
  await expect(runStatus(page)).toHaveText('running');
  await expect(candidateRows(page)).toHaveCount(16, { timeout: 240_000 });
  await expect(runStatus(page)).toHaveText('done');

  const dots = page.getByRole('region', { name: 'Pareto front' }).locator('svg circle');
  await expect(dots).toHaveCount(16);
  const stored = await storedCandidates(page);
  expect(stored.map((c) => c.seq).sort((a, b) => a - b)).toEqual([...Array(16).keys()]);
  expect(new Set(stored.map((c) => c.runId)).size).toBe(1);
  // trained on the backend the probe found fastest here, latency measured on WebGPU, the target
  const [run] = await storedRecords<RunRecord>(page, 'runs');
  const fastest = run!.training!.probe!.fastest;
  await expect(page.getByTestId('probe')).toContainText(`${fastest} `);
  for (const c of stored) {
    expect(c.leakedTensors).toBe(0);
    expect(c.backend).toBe('webgpu');
    expect(c.trainedOn ?? 'webgpu').toBe(fastest);
  }
  const origin = new URL(page.url()).origin;
  expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
});

test('pause, resume and stop act on the running search', async ({ page }) => {
  await page.goto('/');
  await fillSmallSearch(page, 40, 2); // long enough to pause, resume and stop mid-run
  await page.getByRole('button', { name: 'Start search' }).click();
  await expect.poll(() => candidateRows(page).count(), { timeout: 180_000 }).toBeGreaterThanOrEqual(1);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(runStatus(page)).toHaveText('paused');
  const pausedAt = await candidateRows(page).count();
  await page.waitForTimeout(3_000);
  await expect(candidateRows(page)).toHaveCount(pausedAt);

  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(runStatus(page)).toHaveText('running');
  await expect.poll(() => candidateRows(page).count(), { timeout: 180_000 }).toBeGreaterThan(pausedAt);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(runStatus(page)).toHaveText('stopped');
  await expect(page.getByRole('button', { name: 'Resume' })).toHaveCount(0);

  // the selected candidate's layers add up to the parameters shown in the table
  await candidateRows(page).first().click();
  await expect(page.getByRole('table', { name: 'Layers' })).toBeVisible();
});
