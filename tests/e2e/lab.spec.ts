import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandidateRecord, RunRecord } from '../../src/lib/records';
import { parseCsvRecords } from '../csv-reader';
import { killTree, startScript } from '../../scripts/lib/processes';
import { candidateRows, fillSmallSearch, runStatus, storedRecords } from './helpers';

test('a shared run: the lab server, a host-only search and two device workers, one killed mid-run; every candidate once', async () => {
  test.setTimeout(8 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
  const lab = startScript('scripts/lab.ts', ['start', '--dir', dir, '--port', '4341', '--ws-port', '4342']);
  try {
    await lab.line(/^host key /m, 30_000);
    const out = mkdtempSync(join(tmpdir(), 'lab-run-'));
    const host = startScript('scripts/search.ts', [
      '--dataset',
      'digits',
      '--evaluations',
      '8',
      '--population',
      '2',
      '--seed',
      '5',
      '--epochs',
      '1',
      '--train-images',
      '200',
      '--backend',
      'wasm',
      '--port',
      '4343',
      '--share',
      'ws://127.0.0.1:4342',
      '--lab',
      dir,
      '--host-only',
      '--out',
      out,
    ]);
    const join_ = (await host.line(/^join (\S+)$/m))[1]!;
    expect(host.out().split('\n')[0]).toMatch(/^run run-\S+$/);
    expect(join_).toMatch(/^http:\/\/localhost:4343\/#join=[A-Za-z0-9_-]+$/);

    // a changed token is refused with one clear line
    const forged = join_.slice(0, -6) + (join_.endsWith('A') ? 'B' : 'A') + join_.slice(-5);
    const bad = spawnSync('npx', ['tsx', 'scripts/lab.ts', 'worker', '--join', forged, '--port', '4346'], { encoding: 'utf8', timeout: 120_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^error: .*(join link is damaged|authorization)/i);

    const profile = mkdtempSync(join(tmpdir(), 'lab-worker-'));
    const doomed = startScript('scripts/lab.ts', ['worker', '--join', join_, '--port', '4344', '--profile', profile]);
    await doomed.line(/^training candidate \d+/m);
    killTree(doomed.child.pid!, profile);
    const steady = startScript('scripts/lab.ts', ['worker', '--join', join_, '--port', '4345']);

    expect(await host.exited, host.err()).toBe(0);
    const rows = parseCsvRecords(readFileSync(join(out, 'candidates.csv'), 'utf8'));
    expect(rows.map((r) => Number(r['seq'])).sort((a, b) => a - b)).toEqual([...Array(8).keys()]);
    expect(rows.every((r) => r['status'] === 'done')).toBe(true);
    // the survivor took over the killed device's candidate, and left once the host ended the run
    expect(steady.out()).toMatch(/\(claim 2: a device before this one left it\)/);
    expect(await steady.exited).toBe(0);
    expect(steady.out()).toMatch(/^the host ended the run$/m);
    // the surviving device measured the front in its own Chromium; the host stored it with the run
    const summary = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { run: RunRecord; front: string[] };
    expect(steady.out()).toMatch(new RegExp(`^front measured here: ${summary.front.length} network`, 'm'));
    expect(summary.run.remeasures).toHaveLength(1);
    const frontSeqs = rows.filter((r) => summary.front.includes(r['id']!)).map((r) => Number(r['seq']));
    expect(summary.run.remeasures![0]!.candidates.map((c) => c.seq).sort((a, b) => a - b)).toEqual(frontSeqs.sort((a, b) => a - b));
    expect(summary.run.remeasures![0]!.candidates.every((c) => c.latencyMs > 0 && c.energyMj > 0)).toBe(true);
    expect(host.err()).toMatch(/front measured on 1 joined device/);
  } finally {
    // the whole group: npx, tsx and the nats-server it started
    process.kill(-lab.child.pid!, 'SIGTERM');
    await lab.exited;
  }
});

test('in the browser: a run shared from the set-up with the lab key, a second browser joined by its link, every candidate recorded once', async ({
  page,
  browser,
}) => {
  test.setTimeout(6 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
  const lab = startScript('scripts/lab.ts', ['start', '--dir', dir, '--port', '4351', '--ws-port', '4352']);
  const deviceContext = await browser.newContext();
  try {
    await lab.line(/^host key /m, 30_000);
    await page.goto('/');
    await fillSmallSearch(page, 4, 2);
    await page.getByText('Share the next run with other devices (lab server)').click();
    await page.getByLabel('Lab WebSocket').fill('ws://127.0.0.1:4352');
    // this host only runs the search, so the joined browser trains every candidate
    await page.getByLabel('This device trains candidates too').uncheck();
    // a wrong file is refused with what is wrong, and nothing is shared
    await page.getByLabel(/^Lab key/).setInputFiles({ name: 'host-key.json', mimeType: 'application/json', buffer: Buffer.from('{"hostCreds":"x"}') });
    await expect(page.getByRole('alert')).toContainText('host-key.json is not the lab key');
    await page.getByLabel(/^Lab key/).setInputFiles(join(dir, 'host-key.json'));
    await expect(page.getByText('The next run is shared on ws://127.0.0.1:4352')).toBeVisible();
    await page.getByRole('button', { name: 'Start search' }).click();
    await page.getByRole('button', { name: 'New join link' }).click();
    const link = await page.getByLabel('Join link', { exact: true }).inputValue();
    expect(link).toMatch(/^http:\/\/localhost:\d+\/#join=[A-Za-z0-9_-]+$/);
    await expect(page.getByRole('figure', { name: 'Join link as a QR code' }).locator('svg')).toBeVisible();

    const device = await deviceContext.newPage();
    await device.goto(`/${link.slice(link.indexOf('#'))}`);
    const panel = device.getByRole('region', { name: 'Shared run' });
    await expect(panel).toContainText(/This device works for run run-\S+ on ws:\/\/127\.0\.0\.1:4352/);
    expect(await device.evaluate(() => location.hash)).toBe('');

    await expect(runStatus(page)).toHaveText('done', { timeout: 240_000 });
    await expect(candidateRows(page)).toHaveCount(4);
    await expect(panel).toContainText('The host ended the run. This device sent 4 candidate(s).', { timeout: 60_000 });
    const recorded = await storedRecords<CandidateRecord>(page, 'candidates');
    const sent = await panel.getByRole('list', { name: 'Candidates sent' }).locator('li').allInnerTexts();
    // what the device shows is what the host recorded, once each
    expect(recorded.map((c) => c.seq).sort()).toEqual([0, 1, 2, 3]);
    for (const c of recorded) expect(sent).toContain(`Candidate ${c.seq}: ${(c.metrics.accuracy * 100).toFixed(1)}%`);
    // before ending the run the host had the joined browser measure the front, and keeps its figures with the run
    const [stored] = await storedRecords<RunRecord>(page, 'runs');
    expect(stored?.remeasures).toHaveLength(1);
    expect(stored!.remeasures![0]!.candidates.length).toBeGreaterThan(0);
  } finally {
    await deviceContext.close();
    process.kill(-lab.child.pid!, 'SIGTERM');
    await lab.exited;
  }
});

test('a shared run nobody joins: the host trains every candidate itself, as a device of its own run', async () => {
  test.setTimeout(5 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
  const lab = startScript('scripts/lab.ts', ['start', '--dir', dir, '--port', '4361', '--ws-port', '4362']);
  try {
    await lab.line(/^host key /m, 30_000);
    const out = mkdtempSync(join(tmpdir(), 'lab-run-'));
    const host = startScript('scripts/search.ts', [
      '--dataset',
      'digits',
      '--evaluations',
      '4',
      '--population',
      '2',
      '--seed',
      '5',
      '--epochs',
      '1',
      '--train-images',
      '200',
      '--backend',
      'wasm',
      '--port',
      '4363',
      '--share',
      'ws://127.0.0.1:4362',
      '--lab',
      dir,
      '--out',
      out,
    ]);
    expect(await host.exited, host.err()).toBe(0);
    expect(
      host
        .out()
        .split('\n')
        .slice(0, 2)
        .map((l) => l.split(' ')[0]),
    ).toEqual(['run', 'join']);
    const rows = parseCsvRecords(readFileSync(join(out, 'candidates.csv'), 'utf8'));
    expect(rows.map((r) => Number(r['seq'])).sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
    expect(rows.every((r) => r['status'] === 'done')).toBe(true);
  } finally {
    process.kill(-lab.child.pid!, 'SIGTERM');
    await lab.exited;
  }
});
