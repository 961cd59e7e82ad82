import { expect, test } from '@playwright/test';
import { openHeadless, storedRecords, tinyConfig } from './helpers';

test('multi-fidelity: ours stops candidates after one epoch when a cheaper finished one is out of reach, and trains the rest fully', async ({ page }) => {
  await openHeadless(page);
  const base = tinyConfig('cpu', 24);
  const config = { ...base, algorithm: 'ours' as const, populationSize: 4, seed: 1, budget: { ...base.budget, maxEpochs: 3, maxTrainImages: 200 } };
  const runId = await page.evaluate((c) => window.evonas.start(c), config);
  expect(await page.evaluate(() => window.evonas.waitForEnd())).toBe('done');
  const { candidates } = await page.evaluate((id) => window.evonas.runDetail(id), runId);
  const done = candidates.filter((c) => c.status === 'done');
  const stopped = done.filter((c) => c.stoppedEarly);
  console.log(
    JSON.stringify({
      candidates: done.length,
      stopped: stopped.map((c) => [c.seq, c.metrics.accuracy, c.stoppedEarly!.minValAccuracy]),
      epochsTrained: done.reduce((s, c) => s + c.history.length, 0),
      epochsAsked: done.reduce((s, c) => s + c.genome.training.epochs, 0),
    }),
  );
  expect(stopped.length).toBeGreaterThan(0);
  for (const c of stopped) {
    expect(c.history).toHaveLength(1);
    expect(c.metrics.accuracy).toBe(c.history[0]!.valAccuracy);
    expect(c.metrics.accuracy).toBeLessThan(c.stoppedEarly!.minValAccuracy);
  }
  for (const c of done.filter((d) => !d.stoppedEarly)) expect(c.history).toHaveLength(c.genome.training.epochs);
});

test('weight inheritance: candidates start from stored trained weights of the network most like them, and deleting the run frees them', async ({ page }) => {
  await openHeadless(page);
  const base = tinyConfig('cpu', 12);
  const runId = await page.evaluate((c) => window.evonas.start(c), { ...base, populationSize: 4, inheritWeights: true });
  expect(await page.evaluate(() => window.evonas.waitForEnd())).toBe('done');
  const { candidates } = await page.evaluate((id) => window.evonas.runDetail(id), runId);
  const weights = await storedRecords<{ id: string; runId: string; layers: { name: string }[] }>(page, 'weights');
  // every finished candidate kept its weights; the later ones started from an earlier one's
  expect(weights.map((w) => w.id).sort()).toEqual(
    candidates
      .filter((c) => c.status === 'done')
      .map((c) => c.id)
      .sort(),
  );
  const inherited = candidates.filter((c) => c.inheritedFrom);
  console.log(JSON.stringify(inherited.map((c) => [c.seq, c.inheritedFrom!.seq, c.inheritedFrom!.layers])));
  expect(inherited.length).toBeGreaterThan(0);
  for (const c of inherited) {
    expect(c.inheritedFrom!.seq).toBeLessThan(c.seq);
    expect(c.inheritedFrom!.layers).toBeGreaterThan(0);
  }
  await page.evaluate((id) => window.evonas.deleteRun(id), runId);
  expect(await storedRecords(page, 'weights')).toEqual([]);
});
