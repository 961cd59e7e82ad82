import { expect, type Page } from '@playwright/test';
import { defaultConfig } from '../../src/lib/run/config';
import type { RunConfig } from '../../src/lib/records';
import type {} from '../../src/headless';

export interface StoredCandidate {
  readonly seq: number;
  readonly status: string;
  readonly leakedTensors: number;
  readonly backend: string | null;
  readonly trainedOn?: string;
  readonly runId: string;
}

/**
 * Every record of one IndexedDB store of the app, read with the raw browser API, independent of the app's
 * code. An app that never stored anything has no database: that reads as no records (and creates none).
 */
export function storedRecords<T>(page: Page, storeName: string): Promise<T[]> {
  return page.evaluate(async (name) => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'evonas')) return [] as T[];
    return new Promise<T[]>((resolve, reject) => {
      const open = indexedDB.open('evonas');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        if (!db.objectStoreNames.contains(name)) {
          db.close();
          return resolve([]);
        }
        const request = db.transaction(name).objectStore(name).getAll();
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          db.close();
          resolve(request.result as T[]);
        };
      };
    });
  }, storeName);
}

export const storedCandidates = (page: Page): Promise<StoredCandidate[]> => storedRecords<StoredCandidate>(page, 'candidates');

/** A search small enough for SwiftShader: 240 digits, one epoch, small networks. */
export async function fillSmallSearch(page: Page, evaluations: number, population: number): Promise<void> {
  await expect(page.getByRole('combobox', { name: 'Dataset', exact: true })).toHaveValue('digits');
  await page.getByLabel('Evaluations').fill(String(evaluations));
  await page.getByLabel('Population').fill(String(population));
  await page.getByLabel('Max epochs').fill('1');
  await page.getByLabel('Training images').fill('240');
  await page.getByLabel('Max FLOPs').fill('100000');
}

/** From the open page: a small search on the digits on tfjs' CPU backend, started with the button, waited until done. */
export async function runSmallSearchOnCpu(page: Page, evaluations: number, population: number, timeout = 180_000): Promise<void> {
  await fillSmallSearch(page, evaluations, population);
  await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('cpu');
  await page.getByRole('button', { name: 'Start search' }).click();
  await expect(runStatus(page)).toHaveText('done', { timeout });
}

export const candidateRows = (page: Page) => page.getByRole('table', { name: 'Candidates' }).locator('tbody tr');
export const runStatus = (page: Page) => page.getByRole('region', { name: 'Run progress' }).locator('strong');

/** A tiny headless search (digits, 100 images, one epoch) on deterministic objectives (error, params). */
export function tinyConfig(backend: RunConfig['backend'], evaluations: number): RunConfig {
  const base = defaultConfig('digits');
  return {
    ...base,
    backend,
    evaluations,
    populationSize: 3,
    seed: 7,
    latencyRuns: 5,
    objectives: ['error', 'params'],
    budget: { ...base.budget, maxEpochs: 1, maxTrainImages: 100, maxValidationImages: 40, maxFlops: 60_000 },
  };
}

/** Opens the headless page (window.evonas) and waits until it is ready. */
export async function openHeadless(page: Page): Promise<void> {
  await page.goto('/headless.html');
  await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
}
