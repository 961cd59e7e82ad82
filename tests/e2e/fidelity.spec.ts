import { expect, test } from '@playwright/test';
import { openHeadless, tinyConfig } from './helpers';

test('multi-fidelity: ours stops candidates after one epoch when a cheaper finished one is out of reach, and trains the rest fully', async ({ page }) => {
  await openHeadless(page);
  const base = tinyConfig('cpu', 24);
  const config = { ...base, algorithm: 'ours' as const, populationSize: 4, seed: 11, budget: { ...base.budget, maxEpochs: 3, maxTrainImages: 200 } };
  const runId = await page.evaluate((c) => window.evonas.start(c), config);
  expect(await page.evaluate(() => window.evonas.waitForEnd())).toBe('done');
  const { candidates } = await page.evaluate((id) => window.evonas.runDetail(id), runId);
  const done = candidates.filter((c) => c.status === 'done');
  const stopped = done.filter((c) => c.stoppedEarly);
  console.log(JSON.stringify({ candidates: done.length, stopped: stopped.map((c) => [c.seq, c.metrics.accuracy, c.stoppedEarly!.minValAccuracy]), epochsTrained: done.reduce((s, c) => s + c.history.length, 0), epochsAsked: done.reduce((s, c) => s + c.genome.training.epochs, 0) }));
  expect(stopped.length).toBeGreaterThan(0);
  for (const c of stopped) {
    expect(c.history).toHaveLength(1);
    expect(c.metrics.accuracy).toBe(c.history[0]!.valAccuracy);
    expect(c.metrics.accuracy).toBeLessThan(c.stoppedEarly!.minValAccuracy);
  }
  for (const c of done.filter((d) => !d.stoppedEarly)) expect(c.history).toHaveLength(c.genome.training.epochs);
});
