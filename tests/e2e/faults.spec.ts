import { expect, test, type Page } from '@playwright/test';
import type { CandidateRecord, FaultPlan, RunConfig } from '../../src/lib/records';
import { openHeadless, tinyConfig } from './helpers';

/** Runs a search to its end with `faults` injected through the headless page (the only way in; never stored). */
async function runToEnd(page: Page, config: RunConfig, faults: FaultPlan): Promise<CandidateRecord[]> {
  await openHeadless(page);
  const runId = await page.evaluate(([c, f]) => window.evonas.start(c, undefined, f), [config, faults] as const);
  const status = await page.evaluate(() => window.evonas.waitForEnd());
  const { run, candidates } = await page.evaluate((id) => window.evonas.runDetail(id), runId);
  expect(status, run?.message ?? '').toBe('done');
  return candidates;
}

const failures = (candidates: readonly CandidateRecord[]) => candidates.map((c) => c.failure?.code ?? c.status);

for (const workers of [1, 2])
  test(`NaN loss, an out-of-memory network, a crashed and a hung worker each end as a failed candidate, and the run goes on (${workers} training worker${workers > 1 ? 's' : ''})`, async ({
    page,
  }) => {
    const candidates = await runToEnd(
      page,
      { ...tinyConfig('cpu', 7), workers },
      {
        watchdogMs: 4_000,
        faults: [
          { kind: 'nan', seq: 1, afterBatches: 1 },
          { kind: 'oversize', seq: 2 },
          { kind: 'crash', seq: 3, afterBatches: 1 },
          { kind: 'hang', seq: 4, afterBatches: 1 },
        ],
      },
    );
    expect(failures(candidates)).toEqual(['done', 'nan-loss', 'out-of-memory', 'worker-crash', 'worker-hang', 'done', 'done']);
    // stopped within one batch: the poisoned weights show in the very next batch's loss
    expect(candidates[1]!.failure!.message).toMatch(
      /(loss was NaN|weights became NaN or infinite \(loss [\d.]+\)) at epoch 1, batch 2; training stopped there/,
    );
    expect(candidates[2]!.failure!.message).toMatch(/training needs about [\d,]+ MB/);
    expect(candidates[4]!.failure!.message).toBe('no sign of life for 4 s');
    for (const c of candidates.filter((c) => c.status === 'done')) {
      expect(c.leakedTensors).toBe(0);
      expect(c.metrics.accuracy).toBeGreaterThan(0);
      expect(c.metrics.latencyRelative, 'timed against the speed reference, and the ratio stored').toBeGreaterThan(0);
    }
    expect(candidates.every((c) => c.attempts === 1)).toBe(true);
  });

test('a lost WebGPU device fails its candidate and a fresh device trains the next; a backend that will not load falls back', async ({ page }) => {
  // one worker: a backend that will not load is skipped by that worker from then on (the others keep theirs)
  const candidates = await runToEnd(
    page,
    { ...tinyConfig('webgpu', 4), workers: 1 },
    {
      faults: [
        { kind: 'device-lost', seq: 1, afterBatches: 1 },
        { kind: 'backend-fail', seq: 2 },
      ],
    },
  );
  expect(failures(candidates)).toEqual(['done', 'device-lost', 'backend-unavailable', 'done']);
  expect(candidates.map((c) => c.backend)).toEqual(['webgpu', 'webgpu', 'webgpu', 'webgl']);
  expect(candidates[2]!.failure!.message).toMatch(/webgpu: failed to load/);
});

test('with two training workers, a lost WebGPU device fails only its own candidate; the other worker and a fresh device go on', async ({ page }) => {
  const candidates = await runToEnd(page, { ...tinyConfig('webgpu', 5), workers: 2 }, { faults: [{ kind: 'device-lost', seq: 1, afterBatches: 1 }] });
  expect(failures(candidates)).toEqual(['done', 'device-lost', 'done', 'done', 'done']);
  expect(candidates.map((c) => c.backend)).toEqual(['webgpu', 'webgpu', 'webgpu', 'webgpu', 'webgpu']);
  expect(candidates.every((c) => c.attempts === 1)).toBe(true);
});
