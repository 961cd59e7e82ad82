/**
 * `npm run bench:ui -- [--candidates 20000] [--resume 10] [--json]`: imports a run bundle of N identical candidates and
 * one of N distinct candidates into the app (each in a fresh browser profile), sorts the table, opens a candidate,
 * reloads, then resumes the run for a few more candidates (the page updating once per candidate),
 * and prints what the UI thread did: long tasks (sum, longest), when the last stall of over 1 s ended, and how long
 * each step took on screen. The goal: answering within 1 s again at most 20 s after the import, and never
 * unresponsive for more than 5 s in all.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linePrinter, one, parseArgs, UsageError, runCli } from './lib/args';
import { ensureBuilt } from './lib/build';
import { openSession } from './lib/session';
import { recordLongTasks } from './lib/responsiveness';
import { measureBigRun } from './lib/bigRunUi';
import type { BigRunKind } from './lib/bigBundle';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

async function main(): Promise<void> {
  const { values, flags } = parseArgs(process.argv.slice(2), { candidates: { kind: 'int' }, resume: { kind: 'int' }, port: { kind: 'int' } }, ['json']);
  const n = one<number>(values, 'candidates') ?? 20_000;
  if (n < 1 || n > 100_000) throw new UsageError('--candidates must be between 1 and 100000');
  const resume = one<number>(values, 'resume') ?? 10;
  if (resume < 0 || resume > 100) throw new UsageError('--resume must be between 0 and 100 (candidates trained after the import)');
  const print = linePrinter(flags.has('json'));
  await ensureBuilt(ROOT);
  for (const kind of ['identical', 'distinct'] as BigRunKind[]) {
    const session = await openSession(ROOT, one<number>(values, 'port') ?? 4326, undefined, '/');
    try {
      await recordLongTasks(session.page);
      await session.page.goto(session.origin);
      await session.page.getByText('No runs yet.').waitFor({ timeout: 60_000 });
      const f = await measureBigRun(session.page, n, kind, 2000, resume);
      const goal = (r: typeof f.afterImport) => r.lastStallOver1sEndsAtMs <= 20_000 && r.blockedMs <= 5_000;
      print({ ...f, meets_goal: goal(f.afterImport) && goal(f.afterReload), longest_task_while_updating_ms: f.resumed?.during.longestTaskMs ?? null });
    } finally {
      await session.close();
    }
  }
}

runCli(main);
