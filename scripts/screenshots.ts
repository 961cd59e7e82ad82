/**
 * `npm run screenshots -- --out DIR`: runs a small search on the digits in headless Chromium and saves the main
 * views as PNG (set-up and run, report, candidate detail, benchmark mode) for notes and the README.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { one, parseArgs, UsageError } from './lib/args';
import { ensureBuilt } from './lib/build';
import { openSession } from './lib/session';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

async function main(): Promise<void> {
  const { values } = parseArgs(process.argv.slice(2), { out: { kind: 'string' }, port: { kind: 'int' } });
  const out = one<string>(values, 'out');
  if (!out) throw new UsageError('--out DIR is required');
  mkdirSync(out, { recursive: true });
  await ensureBuilt(ROOT);
  const session = await openSession(ROOT, one<number>(values, 'port') ?? 4322, undefined, '/');
  try {
    const { page } = session;
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(session.origin);
    await page.getByLabel('Evaluations').fill('12');
    await page.getByLabel('Population').fill('4');
    await page.getByLabel('Max epochs').fill('1');
    await page.getByLabel('Training images').fill('400');
    await page.getByRole('button', { name: 'Start search' }).click();
    await page.getByRole('region', { name: 'Run progress' }).locator('strong', { hasText: 'done' }).waitFor({ timeout: 600_000 });
    await page.screenshot({ path: join(out, 'run.png'), fullPage: true });
    await page.getByRole('region', { name: 'Report' }).screenshot({ path: join(out, 'report.png') });
    await page.getByRole('table', { name: 'Candidates' }).locator('tbody tr').first().click();
    await page.getByRole('region', { name: 'Candidate detail' }).screenshot({ path: join(out, 'candidate.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(out, 'phone.png') });
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.getByRole('button', { name: 'Benchmark mode' }).click();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(out, 'benchmark.png'), fullPage: true });
    console.log(`wrote ${['run', 'report', 'candidate', 'phone', 'benchmark'].map((n) => `${out}/${n}.png`).join(', ')}`);
  } finally {
    await session.close();
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
