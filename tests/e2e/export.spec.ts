import * as tf from '@tensorflow/tfjs';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type { CandidateRecord, RunRecord } from '../../src/lib/records';
import { candidateRows, openHeadless, storedRecords, tinyConfig, runSmallSearchOnCpu } from './helpers';

test('a candidate exported as a TF.js layers model loads back with tf.loadLayersModel and predicts the same', async ({ page }) => {
  await openHeadless(page);
  const runId = await page.evaluate((c) => window.evonas.start(c), tinyConfig('cpu', 3));
  expect(await page.evaluate(() => window.evonas.waitForEnd())).toBe('done');
  const { candidates } = await page.evaluate((id) => window.evonas.runDetail(id), runId);
  const exported = await page.evaluate(
    async ([id]) => {
      const e = await window.evonas.exportModel(id, 2);
      // plain arrays across the Playwright boundary
      return {
        modelJson: e.modelJson,
        weights: Array.from(new Uint8Array(e.weights)),
        accuracy: e.accuracy,
        check: { shape: e.check.shape, inputs: Array.from(e.check.inputs), outputs: Array.from(e.check.outputs) },
      };
    },
    [runId] as const,
  );
  // retrained with the run's seed on the run's training backend: the stored result again
  expect(exported.accuracy).toBe(candidates[2]!.metrics.accuracy);

  await tf.setBackend('cpu');
  const json = JSON.parse(exported.modelJson) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0]!.weights, weightData: new Uint8Array(exported.weights).buffer }),
  );
  const outputs = tf.tidy(() => (model.predict(tf.tensor(exported.check.inputs, exported.check.shape as number[])) as tf.Tensor).dataSync());
  expect(outputs.length).toBe(exported.check.outputs.length);
  for (let i = 0; i < outputs.length; i++) expect(Math.abs(outputs[i]! - exported.check.outputs[i]!)).toBeLessThan(1e-4);
  model.dispose();
});

test('the UI downloads a candidate as model.json + weights.bin and its genome as JSON', async ({ page }) => {
  await page.goto('/');
  await runSmallSearchOnCpu(page, 2, 2);
  await candidateRows(page).first().click();
  const downloads: Promise<import('@playwright/test').Download>[] = [];
  const both = new Promise<void>((resolve) =>
    page.on('download', (d) => {
      downloads.push(Promise.resolve(d));
      if (downloads.length === 2) resolve();
    }),
  );
  await page.getByRole('button', { name: 'Download TF.js model' }).click();
  await both;
  const files = await Promise.all(downloads.map(async (d) => ({ name: (await d).suggestedFilename(), bytes: readFileSync(await (await d).path()) })));
  const modelJson = JSON.parse(files.find((f) => f.name === 'model.json')!.bytes.toString('utf8')) as { weightsManifest: { weights: { shape: number[] }[] }[] };
  const weightBytes = modelJson.weightsManifest[0]!.weights.reduce((s, w) => s + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  expect(files.find((f) => f.name === 'weights.bin')!.bytes.length).toBe(weightBytes);

  const csv = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Candidates (CSV)' }).click();
  const csvLines = readFileSync(await (await csv).path(), 'utf8')
    .trim()
    .split('\n');
  expect(csvLines[0]).toMatch(/^id,generation,status,accuracy,/);
  expect(csvLines).toHaveLength(1 + (await candidateRows(page).count()));

  const genome = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download genome (JSON)' }).click();
  const [run] = await storedRecords<RunRecord>(page, 'runs');
  expect((await genome).suggestedFilename()).toBe(`${run!.id}-candidate-0-genome.json`);
});

test('a candidate retrained on the whole training split reports its test accuracy, stored on the candidate', async ({ page }) => {
  await page.goto('/');
  await runSmallSearchOnCpu(page, 2, 2);
  await candidateRows(page).first().click();
  const panel = page.getByRole('region', { name: 'Full retrain' });
  await panel.getByLabel('Epochs').fill('2');
  await panel.getByRole('button', { name: 'Retrain and test' }).click();
  await expect(panel.getByText(/^Test accuracy/)).toBeVisible({ timeout: 180_000 });

  const candidates = await storedRecords<CandidateRecord>(page, 'candidates');
  const retrained = candidates.find((c) => c.fullRetrain)!;
  expect(retrained.seq).toBe(0);
  // the digits' seeded split: 70% train (all of it now, not the search's 240), 15% test
  expect(retrained.fullRetrain).toMatchObject({ epochs: 2, backend: expect.any(String) });
  expect(retrained.fullRetrain!.trainImages).toBeGreaterThan(1200);
  expect(retrained.fullRetrain!.testImages).toBeGreaterThan(250);
  expect(retrained.fullRetrain!.trainImages + retrained.fullRetrain!.testImages).toBeLessThan(1797);
  expect(retrained.fullRetrain!.testAccuracy).toBeGreaterThan(0);
  await expect(panel).toContainText(`on ${retrained.fullRetrain!.testImages.toLocaleString('en')} held-out test images`);
  await expect(panel).toContainText(`all ${retrained.fullRetrain!.trainImages.toLocaleString('en')} training images`);

  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download the retrained model' }).click();
  expect((await download).suggestedFilename()).toBe('model.json');

  // the score survives a reload
  await page.reload();
  await candidateRows(page).first().click();
  await expect(panel.getByText(/^Test accuracy/)).toBeVisible();
});
