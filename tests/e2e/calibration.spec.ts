import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import type {} from '../../src/headless';
import { calibrationOptions } from '../../src/lib/measure/calibrationSize';
import { defaultConfig, limitsFor } from '../../src/lib/run/config';
import { candidateRows, fillSmallSearch, openHeadless, runStatus, storedRecords } from './helpers';

interface StoredProfile {
  opSamples: unknown[];
  model: { kernels?: { version: number; timingWeight?: number } };
  networkSamples: { kernelMs?: number[] }[];
  searchSamples?: { runId: string; measuredMs: number; kernels: unknown[] }[];
  accuracy: { nHeldOut: number; pairs: unknown[] };
  manifest: { backend: string; crossOriginIsolated: boolean; timerResolutionMs: number; userAgent: string; gpuLimits: Record<string, number> | null };
}

const storedProfiles = (page: Page) => storedRecords<StoredProfile>(page, 'profiles');

/** Opens the app on `backend` and starts a quick calibration from its latency-model panel, which it returns. */
async function startQuickCalibration(page: Page, backend: 'webgpu' | 'wasm'): Promise<Locator> {
  await page.goto('/');
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption(backend);
  const panel = page.getByRole('region', { name: 'Latency model' });
  await expect(panel.getByText(backend)).toBeVisible({ timeout: 60_000 });
  await panel.getByLabel('Effort').selectOption('quick');
  await panel.getByRole('button', { name: 'Calibrate latency model' }).click();
  return panel;
}

test('calibrating the latency model from the UI stores a profile the search then predicts with', async ({ page }) => {
  // "auto" passes over a software WebGPU (SwiftShader, as here) for WASM: ask for WebGPU by name
  const panel = await startQuickCalibration(page, 'webgpu');
  await expect(panel.getByRole('progressbar', { name: 'Calibration progress' })).toBeVisible();
  await expect(panel).toContainText(/of\s+6\s+held-out\s+networks\s+within\s+±10%/, { timeout: 240_000 });
  await expect(panel.getByRole('img', { name: /Predicted against measured/ }).locator('circle')).toHaveCount(6);
  await expect(panel).not.toContainText('timed inside');

  const [profile] = await storedProfiles(page);
  expect(profile!.opSamples.length).toBeGreaterThan(20);
  expect(profile!.accuracy.pairs).toHaveLength(6);
  expect(profile!.manifest).toMatchObject({ backend: 'webgpu', crossOriginIsolated: true });
  expect(profile!.manifest.timerResolutionMs).toBeGreaterThan(0);
  expect(profile!.manifest.gpuLimits?.['maxBufferSize']).toBeGreaterThan(0);
  expect(profile!.model.kernels?.version).toBe(1);
  // WebGPU's kernels run on the device, out of the clock's reach: only whole networks fit its terms
  expect(profile!.networkSamples.some((s) => s.kernelMs)).toBe(false);
  expect(profile!.model.kernels?.timingWeight).toBe(0);

  await panel.getByRole('button', { name: 'Export profile (JSON)' }).click();
  const download = page.waitForEvent('download');
  await panel.getByRole('link', { name: 'Download profile' }).click();
  const exported = JSON.parse(readFileSync((await (await download).path())!, 'utf8'));
  expect(Object.keys(exported.model.kinds)).toContain('conv2d');

  await fillSmallSearch(page, 2, 2);
  await page.getByRole('button', { name: 'Start search' }).click();
  await expect(candidateRows(page)).toHaveCount(2, { timeout: 180_000 });
  await expect(runStatus(page)).toHaveText('done');
  for (const row of await candidateRows(page).all()) await expect(row.locator('td').nth(6)).toHaveText(/\d+\.\d+ ms/);
  await expect(page.getByRole('region', { name: 'Run progress' })).toContainText(/Latency model on this run:\s+\d+%\s+of\s+2\s+candidates\s+within\s+±10%/);
  await expect(page.getByRole('region', { name: 'Run progress' })).toContainText(/Search energy so far ≈[^]*uncalibrated, assumed 15 W/);
  // the finished run's candidates stay with the profile, for the next run on this device to refine from
  const [refined] = await storedProfiles(page);
  expect(refined!.searchSamples).toHaveLength(2);
  expect(refined!.searchSamples!.every((s) => s.measuredMs > 0 && s.kernels.length > 0)).toBe(true);

  await page.reload();
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('webgpu');
  await expect(panel).toContainText(/of\s+6\s+held-out\s+networks\s+within\s+±10%/, { timeout: 60_000 });
});

test('power calibration refuses to run on the charger', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Calibrate power on battery' }).click();
  await expect(page.getByRole('region', { name: 'Power calibration' }).getByRole('alert')).toHaveText(/charging: unplug it/);
});

test('power calibration on a discharging battery gives a power figure the search can use', async ({ page }) => {
  // A battery draining 1% every 4 s at idle and every 1.5 s under load (60 Wh): about 5 W idle, 13 W extra for inference.
  await page.addInitScript(() => {
    const battery = new EventTarget() as EventTarget & { charging: boolean; level: number; dischargingTime: number };
    const start = performance.now();
    let level = 0.9;
    let last = start;
    Object.assign(battery, { charging: false, dischargingTime: Infinity });
    Object.defineProperty(battery, 'level', { get: () => level });
    setInterval(() => {
      const now = performance.now();
      const busy = now - start > 35_000; // the idle phase lasts 33 s
      if (now - last >= (busy ? 1500 : 4000)) {
        level = Math.round((level - 0.01) * 100) / 100;
        last = now;
        battery.dispatchEvent(new Event('levelchange'));
      }
    }, 100);
    Object.defineProperty(navigator, 'getBattery', { value: () => Promise.resolve(battery) });
  });
  await page.goto('/');
  const panel = page.getByRole('region', { name: 'Power calibration' });
  await panel.getByLabel('Minutes per phase').fill('0.55');
  await panel.getByRole('button', { name: 'Calibrate power on battery' }).click();
  await expect(panel.getByRole('status')).toHaveText(/Phase 1 of 2/);
  await expect(panel.getByRole('status')).toHaveText(/Phase 2 of 2/, { timeout: 45_000 });
  await expect(panel).toContainText(/Inference draws\s+\d+\.\d W/, { timeout: 60_000 });
  const power = page.getByLabel('Power for energy figures (energy = latency x power)');
  await expect(power.locator('option', { hasText: 'Battery-calibrated on this device' })).toHaveCount(1);
  await power.selectOption('battery');
  await expect(power).toHaveValue('battery');
});

test("a WASM calibration times every fitted network's kernels inside it and fits their terms on those times", async ({ page }) => {
  await openHeadless(page);
  await page.exposeBinding('evonasProgress', () => undefined);
  const options = { ...calibrationOptions('quick', limitsFor(defaultConfig('digits'), { height: 8, width: 8, channels: 1, classes: 10 })), fitNetworks: 12 };
  const { backend, profile } = await page.evaluate((o) => window.evonas.calibrate('wasm', o), options);
  expect(backend.name).toBe('wasm');
  expect(profile.networkSamples).toHaveLength(12);
  for (const s of profile.networkSamples) {
    expect(s.kernelMs, 'every kernel of every fitted network has its own time').toHaveLength(s.kernels!.length);
    const own = s.kernelMs!.reduce((a, b) => a + b, 0);
    // a network's kernels take part of its time; the rest is the engine's dispatch and the read-back
    expect(own).toBeGreaterThan(0);
    expect(own).toBeLessThan(1.5 * s.measuredMs);
  }
  expect(profile.model.kernels?.dispatchMs).toBeGreaterThanOrEqual(0);
  expect(profile.model.kernels?.timingWeight).toBeGreaterThanOrEqual(0);
});

test('a WASM calibration from the UI says its kernels were timed inside the fitted networks', async ({ page }) => {
  const panel = await startQuickCalibration(page, 'wasm');
  await expect(panel).toContainText(/of\s+6\s+held-out\s+networks\s+within\s+±10%/, { timeout: 120_000 });
  await expect(panel).toContainText(/Fitted on 6 whole networks and on each of their kernels, timed inside 6 of them \(too few networks to cross-validate/);
});
