import { expect, test } from '@playwright/test';
import type { CandidateRecord } from '../../src/lib/records';
import { DB_VERSION } from '../../src/lib/store/db';
import { candidateRows, fillSmallSearch, runStatus, storedRecords } from './helpers';

for (const workers of [1, 2])
  test(`two tabs: one drives the run (${workers} training worker${workers > 1 ? 's' : ''}), the other follows it live read-only and takes over when the first closes`, async ({
    context,
  }) => {
    const first = await context.newPage();
    await first.goto('/');
    await fillSmallSearch(first, 40, 4); // long enough to still run when the first tab closes
    await first.getByLabel('Training workers').fill(String(workers));
    await first.getByRole('combobox', { name: 'Backend', exact: true }).selectOption('cpu');
    await first.getByRole('button', { name: 'Start search' }).click();
    await expect(runStatus(first)).toHaveText('running');

    const second = await context.newPage();
    await second.goto('/');
    await expect(second.getByRole('status').filter({ hasText: 'Read-only' })).toBeVisible();
    await expect(second.getByRole('button', { name: 'Start search' })).toBeDisabled();
    await expect(second.getByRole('button', { name: 'Pause' })).toHaveCount(0);
    // live: rows arrive in the read-only tab without a reload
    const shown = await candidateRows(second).count();
    await expect.poll(() => candidateRows(second).count(), { timeout: 120_000 }).toBeGreaterThan(shown);
    const firstWriter = new Set((await storedRecords<CandidateRecord>(second, 'candidates')).map((c) => c.writer));
    expect(firstWriter.size).toBe(1);

    await first.close();
    await expect(second.getByRole('status').filter({ hasText: 'Read-only' })).toHaveCount(0, { timeout: 30_000 });
    await expect(runStatus(second)).toHaveText('done', { timeout: 240_000 });
    const candidates = (await storedRecords<CandidateRecord>(second, 'candidates')).sort((a, b) => a.seq - b.seq);
    expect(candidates.map((c) => c.seq)).toEqual([...Array(40).keys()]);
    // never both: every candidate the first tab finished was finished before any of the second tab's
    const writers = [...candidates].sort((a, b) => a.finishedAt - b.finishedAt).map((c) => c.writer);
    const switchAt = writers.findIndex((w) => !firstWriter.has(w));
    expect(switchAt).toBeGreaterThan(0);
    expect(new Set(writers.slice(switchAt)).size).toBe(1);
    expect(writers.slice(switchAt).some((w) => firstWriter.has(w))).toBe(false);
  });

test.describe('database upgrades', () => {
  // the service worker (tested in pwa.spec.ts) claims every tab of the origin when it activates; kept out of
  // these timing-sensitive tests of IndexedDB connections
  test.use({ serviceWorkers: 'block' });

  test('a schema upgrade never hangs: an old tab that holds the database gets a clear message, then the upgrade runs', async ({ context }) => {
    // an "old version" of the app: schema v2, and it ignores requests to close
    const old = await context.newPage();
    await old.goto('/headless.html');
    await old.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('evonas', 2);
          request.onupgradeneeded = () => {
            const db = request.result;
            db.createObjectStore('runs', { keyPath: 'id' }).createIndex('by-created', 'createdAt');
            db.createObjectStore('candidates', { keyPath: 'id' }).createIndex('by-run', 'runId');
            db.createObjectStore('snapshots', { keyPath: 'runId' });
            db.createObjectStore('profiles', { keyPath: 'id' });
            db.createObjectStore('power', { keyPath: 'id' });
          };
          request.onsuccess = () => {
            (window as unknown as { heldDb: IDBDatabase }).heldDb = request.result;
            resolve();
          };
          request.onerror = () => reject(request.error);
        }),
    );
    // an upgrade request already waiting on the old tab: the app's own opens queue behind it and are never told
    // they are blocked (what made this test flaky before the app timed out queued opens too)
    await old.evaluate((version) => void indexedDB.open('evonas', version), DB_VERSION);
    const app = await context.newPage();
    await app.goto('/');
    // each part of the page that needed the database says so (the run list, the latency model)
    await expect(app.getByRole('alert').filter({ hasText: 'keeps an older version of its database open' }).first()).toBeVisible({ timeout: 15_000 });

    await old.close();
    await app.reload();
    await expect(app.getByRole('alert')).toHaveCount(0);
    await expect(app.getByRole('button', { name: 'Start search' })).toBeEnabled();
    // the app's workers open the database on their own schedule: wait for their upgrade, however late it lands
    const stores = () =>
      app.evaluate(
        () =>
          new Promise<string[]>((resolve) => {
            const request = indexedDB.open('evonas');
            request.onsuccess = () => {
              resolve(Array.from(request.result.objectStoreNames));
              request.result.close();
            };
          }),
      );
    await expect.poll(stores, { timeout: 15_000 }).toContain('attempts');
  });

  test('an open tab lets a newer version upgrade the database at once', async ({ context }) => {
    const app = await context.newPage();
    await app.goto('/');
    await expect(app.getByRole('button', { name: 'Start search' })).toBeEnabled();
    const newer = await context.newPage();
    await newer.goto('/headless.html');
    const upgraded = await newer.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const request = indexedDB.open('evonas', 99);
          request.onsuccess = () => resolve(request.result.version);
          request.onerror = () => reject(request.error);
          request.onblocked = () => reject(new Error('blocked by the open tab'));
        }),
    );
    expect(upgraded).toBe(99);
  });
});
