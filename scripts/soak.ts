/**
 * `npm run soak -- [--evaluations 200] [--every 10] [--workers 1] [--json]`: a long search on small budgets (digits, one
 * epoch on 200 images) in headless Chromium, sampling every N candidates the training workers' live tensors, the
 * origin's storage (IndexedDB) and the page's JS heap. One line per sample, then a summary: whether tensors
 * stayed flat (no candidate leaked one, and the live count did not grow) and how far the heap moved.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '../src/headless';
import type { RunEvent } from '../src/lib/run/events';
import { defaultConfig } from '../src/lib/run/config';
import type { RunConfig } from '../src/lib/records';
import { linePrinter, one, parseArgs, UsageError, runCli } from './lib/args';
import { ensureBuilt } from './lib/build';
import { openSession } from './lib/session';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MB = 2 ** 20;

async function main(): Promise<void> {
  const { values, flags } = parseArgs(
    process.argv.slice(2),
    { evaluations: { kind: 'int' }, every: { kind: 'int' }, workers: { kind: 'int' }, port: { kind: 'int' } },
    ['json'],
  );
  const evaluations = one<number>(values, 'evaluations') ?? 200;
  const every = one<number>(values, 'every') ?? 10;
  if (evaluations < every || every < 1) throw new UsageError('--evaluations must be at least --every, and --every at least 1');
  const base = defaultConfig('digits');
  const config: RunConfig = {
    ...base,
    evaluations,
    seed: 1,
    latencyRuns: 10,
    workers: one<number>(values, 'workers') ?? 1,
    budget: { ...base.budget, maxEpochs: 1, maxTrainImages: 200, maxValidationImages: 60 },
  };
  const print = linePrinter(flags.has('json'));
  await ensureBuilt(ROOT);
  const session = await openSession(ROOT, one<number>(values, 'port') ?? 4325, undefined, '/headless.html');
  try {
    const { page } = session;
    let done = 0;
    let leaked = 0;
    const samples: { candidates: number; tensors: number | null; heapMb: number | null; storageMb: number | null }[] = [];
    const sampling: Promise<void>[] = [];
    await page.exposeBinding('evonasEvent', (_source, event: RunEvent) => {
      if (event.kind !== 'candidate-done') return;
      done++;
      leaked += event.candidate.leakedTensors;
      if (done % every !== 0) return;
      const at = done;
      sampling.push(
        page
          .evaluate(() => window.evonas.probe())
          .then((p) => {
            const sample = {
              candidates: at,
              tensors: p.training?.numTensors ?? null,
              tensorMb: p.training ? +(p.training.numBytes / MB).toFixed(2) : null,
              heapMb: p.heapBytes === null ? null : +(p.heapBytes / MB).toFixed(1),
              storageMb: p.storageBytes === null ? null : +(p.storageBytes / MB).toFixed(2),
              leakedSoFar: leaked,
            };
            samples.push(sample);
            print(sample);
          }),
      );
    });
    await page.goto(session.origin);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    const started = Date.now();
    await page.evaluate((c) => window.evonas.start(c), config);
    const status = await page.evaluate(() => window.evonas.waitForEnd());
    await Promise.all(sampling);
    const tensors = samples.flatMap((s) => (s.tensors === null ? [] : [s.tensors]));
    const heaps = samples.flatMap((s) => (s.heapMb === null ? [] : [s.heapMb]));
    const storage = samples.flatMap((s) => (s.storageMb === null ? [] : [s.storageMb]));
    print({
      summary: true,
      status,
      candidates: done,
      minutes: +((Date.now() - started) / 60_000).toFixed(1),
      leaked_tensors: leaked,
      // between candidates a worker holds only its dataset and backend: the live count must not climb
      tensors_first: tensors[0] ?? null,
      tensors_last: tensors.at(-1) ?? null,
      tensors_max: tensors.length ? Math.max(...tensors) : null,
      heap_mb_first: heaps[0] ?? null,
      heap_mb_max: heaps.length ? Math.max(...heaps) : null,
      heap_mb_last: heaps.at(-1) ?? null,
      storage_mb_per_candidate:
        storage.length > 1 ? +((storage.at(-1)! - storage[0]!) / (samples.at(-1)!.candidates - samples[0]!.candidates)).toFixed(4) : null,
    });
  } finally {
    await session.close();
  }
}

runCli(main);
