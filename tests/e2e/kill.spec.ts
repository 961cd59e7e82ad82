import { chromium, expect, test, type BrowserContext } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/lib/core/rng';
import type { AttemptRecord, CandidateRecord, RunRecord } from '../../src/lib/records';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/chromium';
import { openHeadless, storedRecords, tinyConfig } from './helpers';

const KILLS = 10;
const EVALUATIONS = 30;

/** Every process of the Chromium that uses this profile directory (browser, renderers, GPU, utilities). */
function chromiumPids(profile: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(profile)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** SIGKILL: no unload handler, no worker cleanup, no IndexedDB flush beyond what was committed. */
async function killBrowser(context: BrowserContext, profile: string): Promise<void> {
  const closed = new Promise((resolve) => context.once('close', resolve));
  for (const pid of chromiumPids(profile)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await closed;
}

const launch = (profile: string, baseURL: string) => chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, baseURL });

for (const workers of [1, 2])
  test(`a search with ${workers} training worker${workers > 1 ? 's' : ''} survives ${KILLS} browser kills at random moments: nothing completed is lost, interrupted candidates are re-run`, async ({
    baseURL,
  }) => {
    test.setTimeout(8 * 60_000);
    // trained on tfjs' CPU backend (no probe): candidates last long enough to be killed mid-way at random moments
    const config = { ...tinyConfig('cpu', EVALUATIONS), trainOn: 'target' as const, workers };
    const profile = mkdtempSync(join(tmpdir(), 'evonas-kill-'));
    const rng = Rng.fromSeed(2026 + workers);
    try {
      let context = await launch(profile, baseURL!);
      let page = context.pages()[0] ?? (await context.newPage());
      await openHeadless(page);
      const runId = await page.evaluate((c) => window.evonas.start(c), config);
      const seenDone = new Set<string>();
      const killedDuring: number[] = [];
      let lost = 0;
      let openedAt = Date.now();
      for (let kill = 0; kill < KILLS; kill++) {
        // wait until this browser trains a candidate for the first time, then kill at a random moment (a candidate
        // killed three times is given up by design; the given-up case has its own unit test)
        const training = async () => (await storedRecords<AttemptRecord>(page, 'attempts')).some((a) => a.startedAt >= openedAt && a.attempts === 1);
        await expect.poll(training, { timeout: 60_000, intervals: [50] }).toBe(true);
        await page.waitForTimeout(rng.next() * 600);
        const before = await storedRecords<CandidateRecord>(page, 'candidates');
        const leased = (await storedRecords<AttemptRecord>(page, 'attempts')).filter((a) => a.startedAt >= openedAt).map((a) => a.seq);
        for (const c of before) seenDone.add(c.id);
        await killBrowser(context, profile);

        // reopen the app as a user would: the interrupted run resumes by itself
        openedAt = Date.now();
        context = await launch(profile, baseURL!);
        page = context.pages()[0] ?? (await context.newPage());
        await page.goto('/');
        const after = await storedRecords<CandidateRecord>(page, 'candidates');
        lost += [...seenDone].filter((id) => !after.some((c) => c.id === id)).length;
        // a candidate leased when we looked may have finished in the moment before the kill: stored with one attempt
        killedDuring.push(...leased.filter((seq) => !after.some((c) => c.seq === seq && c.attempts === 1)));
      }
      await expect.poll(async () => (await storedRecords<RunRecord>(page, 'runs'))[0]?.status, { timeout: 5 * 60_000 }).toBe('done');
      const candidates = (await storedRecords<CandidateRecord>(page, 'candidates')).sort((a, b) => a.seq - b.seq);
      const leases = await storedRecords<AttemptRecord>(page, 'attempts');
      await context.close();

      // the same search without a single kill, in a fresh profile
      const reference = await (async () => {
        const clean = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
        const p = await clean.newPage({ baseURL });
        await openHeadless(p);
        const id = await p.evaluate((c) => window.evonas.start(c), config);
        await p.evaluate(() => window.evonas.waitForEnd());
        const { candidates: all } = await p.evaluate((i) => window.evonas.runDetail(i), id);
        await clean.close();
        return all;
      })();

      const rerun = candidates.filter((c) => c.attempts > 1);
      const givenUp = candidates.filter((c) => c.failure?.code === 'interrupted-repeatedly');
      console.log(
        JSON.stringify({
          workers,
          kills: KILLS,
          survived: KILLS,
          lost,
          killed_during: killedDuring,
          candidates: candidates.length,
          rerun: rerun.map((c) => [c.seq, c.attempts]),
          given_up: givenUp.length,
        }),
      );
      expect(lost).toBe(0);
      expect(candidates.map((c) => c.seq)).toEqual([...Array(EVALUATIONS).keys()]);
      expect(candidates.every((c) => c.runId === runId)).toBe(true);
      expect(leases).toEqual([]);
      // every candidate a kill cut short was trained again (and counted)
      for (const seq of killedDuring) expect(candidates[seq]!.attempts).toBeGreaterThan(1);
      expect(killedDuring.length).toBeGreaterThanOrEqual(KILLS / 2);
      expect(candidates.filter((c) => c.status === 'failed')).toEqual(givenUp);
      // with nothing given up, the killed run took exactly the decisions of the uninterrupted one
      if (givenUp.length === 0) {
        expect(candidates.map((c) => c.key)).toEqual(reference.map((c) => c.key));
        expect(candidates.map((c) => c.metrics.accuracy)).toEqual(reference.map((c) => c.metrics.accuracy));
      }
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
