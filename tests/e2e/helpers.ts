import { expect, type Page } from '@playwright/test';

export interface StoredCandidate {
  readonly seq: number;
  readonly status: string;
  readonly leakedTensors: number;
  readonly backend: string | null;
  readonly runId: string;
}

/** Reads the app's IndexedDB with the raw browser API, independent of the app's own store code. */
export function storedCandidates(page: Page): Promise<StoredCandidate[]> {
  return page.evaluate(
    () =>
      new Promise<StoredCandidate[]>((resolve, reject) => {
        const open = indexedDB.open('evonas');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('candidates').objectStore('candidates').getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            open.result.close();
            resolve((request.result as StoredCandidate[]).map(({ seq, status, leakedTensors, backend, runId }) => ({ seq, status, leakedTensors, backend, runId })));
          };
        };
      }),
  );
}

/** A search small enough for SwiftShader: 240 digits, one epoch, small networks. */
export async function fillSmallSearch(page: Page, evaluations: number, population: number): Promise<void> {
  await expect(page.getByLabel('Dataset')).toHaveValue('digits');
  await page.getByLabel('Evaluations').fill(String(evaluations));
  await page.getByLabel('Population').fill(String(population));
  await page.getByLabel('Max epochs').fill('1');
  await page.getByLabel('Training images').fill('240');
  await page.getByLabel('Max FLOPs').fill('100000');
}

export const candidateRows = (page: Page) => page.getByRole('table', { name: 'Candidates' }).locator('tbody tr');
export const runStatus = (page: Page) => page.getByRole('region', { name: 'Run progress' }).locator('strong');
