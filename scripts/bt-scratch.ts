/**
 * `npm run bench:throughput -- [--genomes FILE] [--dataset D] [--first N] [--workers N] [--backend B] [--train-on fastest|target]
 *   [--train-images N] [--no-native] [--json]`: a fixed list of genomes (by default the
 * first 24 candidates of the default Fashion-MNIST search with seed 1) trained and measured end to end as a
 * search would (default budget, latency on the default backend), through a pool of 1, then 2, ... up to the
 * default number of training workers; then the same genomes trained natively by PyTorch (2 threads) on the
 * same images, when Debian's python3-torch is installed. One JSON line per run, then the ratios.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '../src/headless';
import { deriveSeed } from '../src/lib/core/rng';
import { BUILTIN_DATASETS, type BuiltinDatasetName } from '../src/lib/data/builtin';
import { lowerGenome } from '../src/lib/genome/graph';
import type { CnnGenome } from '../src/lib/genome/types';
import { defaultConfig, limitsFor } from '../src/lib/run/config';
import { defaultPoolSize } from '../src/lib/run/poolSize';
import type { RunConfig } from '../src/lib/records';
import type { ThroughputResult } from '../src/lib/evaluation/throughput';
import { BACKENDS, type BackendName } from '../src/lib/model/names';
import { linePrinter, one, parseArgs, UsageError } from './lib/args';
import { ensureBuilt } from './lib/build';
import { openSession } from './lib/session';
import { runPython } from './lib/python';
import { choose } from './lib/runOptions';
import { writeSplit } from './lib/split';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const round = (v: number, digits = 2): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** The PyTorch peer's line, or null (the reason on stderr) without python3-torch. */
async function native(config: RunConfig, dataset: BuiltinDatasetName, genomes: readonly CnnGenome[]): Promise<Record<string, unknown> | null> {
  const dir = mkdtempSync(join(tmpdir(), 'evonas-throughput-'));
  const data = await writeSplit(ROOT, dataset, config, dir);
  const limits = limitsFor(config, { height: data.shape[0]!, width: data.shape[1]!, channels: data.shape[2]!, classes: data.classes });
  const manifest = {
    threads: Math.min(cpus().length, 2),
    latency_runs: config.latencyRuns,
    data: { ...data.files, shape: data.shape, classes: data.classes },
    genomes: genomes.map((g, seq) => {
      const { nodes, params } = lowerGenome(g, limits);
      return { nodes, params, training: g.training, seed: deriveSeed(config.seed, seq) };
    }),
  };
  const path = join(dir, 'manifest.json');
  writeFileSync(path, JSON.stringify(manifest));
  const r = runPython<Record<string, unknown>>([join(ROOT, 'scripts/bench/torch_genomes.py'), path], 3_600_000, join(ROOT, 'scripts/bench'));
  if (!r.ok) console.error(`native PyTorch skipped: ${r.reason}`);
  return r.ok ? r.value : null;
}

/** Median over candidates of latency measured with this pool over latency measured with one worker (contention). */
function latencyInflation(r: ThroughputResult, alone: ThroughputResult): number {
  const ratios = r.candidates.flatMap((c, i) => (c.ok && alone.candidates[i]?.ok ? [c.latencyMs / alone.candidates[i]!.latencyMs] : [])).sort((a, b) => a - b);
  return ratios.length ? ratios[Math.floor(ratios.length / 2)]! : NaN;
}

function appLine(r: ThroughputResult, n: number, alone: ThroughputResult): Record<string, unknown> {
  const done = r.candidates.filter((c) => c.ok);
  return {
    engine: 'app',
    workers: r.workers,
    candidates: n,
    seconds: round(r.seconds),
    candidates_per_hour: round((n / r.seconds) * 3600, 1),
    prepare_s: round(r.prepareSeconds),
    train_s_sum: round(done.reduce((s, c) => s + c.trainMs, 0) / 1000),
    measure_s_sum: round(done.reduce((s, c) => s + c.measureMs, 0) / 1000),
    failed: n - done.length,
    best_accuracy: round(Math.max(...done.map((c) => c.accuracy)), 4),
    backend: r.backend,
    trains_on: r.trainedOn,
    latency_vs_one_worker: round(latencyInflation(r, alone), 3),
    latencies: r.candidates.map((c) => (c.ok ? round(c.latencyMs, 4) : null)),
    accuracies: r.candidates.map((c) => (c.ok ? round(c.accuracy, 3) : null)),
  };
}

async function main(): Promise<void> {
  const { values, flags } = parseArgs(
    process.argv.slice(2),
    {
      genomes: { kind: 'string' },
      dataset: { kind: 'string' },
      workers: { kind: 'int' },
      port: { kind: 'int' },
      backend: { kind: 'string' },
      'train-on': { kind: 'string' },
      'train-images': { kind: 'int' },
      first: { kind: 'int' },
    },
    ['json', 'no-native'],
  );
  const file = one<string>(values, 'genomes') ?? join(ROOT, 'scripts/bench/fm24-seed1.json');
  if (!existsSync(file)) throw new UsageError(`--genomes ${file}: no such file`);
  const first = one<number>(values, 'first');
  const genomes = (JSON.parse(readFileSync(file, 'utf8')) as { genomes: CnnGenome[] }).genomes.slice(0, first ?? Infinity);
  const upTo = one<number>(values, 'workers');
  if (upTo !== undefined && upTo < 1) throw new UsageError('--workers must be at least 1');
  const dataset = choose<BuiltinDatasetName>(one(values, 'dataset'), BUILTIN_DATASETS, 'dataset', 'fashion-mnist');
  const base = defaultConfig(dataset);
  const backend = choose<RunConfig['backend']>(one(values, 'backend'), ['auto', ...BACKENDS], 'backend', 'auto');
  const trainOn = choose<'fastest' | 'target'>(one(values, 'train-on'), ['fastest', 'target'], 'train-on', 'fastest');
  const trainImages = one<number>(values, 'train-images');
  // the default search's set-up; the options exist to ask other questions (e.g. two workers sharing one GPU)
  const config: RunConfig = {
    ...base,
    backend,
    trainOn,
    budget: { ...base.budget, ...(trainImages ? { maxTrainImages: trainImages } : {}) },
  };
  const print = linePrinter(flags.has('json'));
  await ensureBuilt(ROOT);
  const session = await openSession(ROOT, one<number>(values, 'port') ?? 4322, undefined, '/headless.html');
  const lines: Record<string, unknown>[] = [];
  try {
    await session.page.goto(session.origin);
    await session.page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    const run = (workers: number | undefined) =>
      session.page.evaluate(([c, g, w]) => window.evonas.benchThroughput(c, g, w ?? undefined), [config, genomes, workers ?? null] as const);
    const first = await run(1);
    lines.push(appLine(first, genomes.length, first));
    print(lines[0]!);
    // the default pool for this device and the backend training landed on, as a search sizes it
    const byDefault = upTo ?? defaultPoolSize({ cores: cpus().length, memoryGb: Math.min(8, totalmem() / 2 ** 30) }, first.trainedOn as BackendName);
    for (let w = 2; w <= byDefault; w++) {
      const line = appLine(await run(upTo === undefined && w === byDefault ? undefined : w), genomes.length, first);
      lines.push(line);
      print(line);
    }
  } finally {
    await session.close();
  }
  const peer = flags.has('no-native') ? null : await native(config, dataset, genomes);
  if (peer) print(peer);
  const fastest = lines.reduce((a, b) => (Number(b['seconds']) < Number(a['seconds']) ? b : a));
  const last = lines[lines.length - 1]!;
  print({
    engine: 'ratio',
    default_workers: last['workers'],
    default_over_one_worker: round(Number(last['candidates_per_hour']) / Number(lines[0]!['candidates_per_hour']), 3),
    ...(peer
      ? {
          fastest_workers: fastest['workers'],
          app_seconds_over_native: round(Number(fastest['seconds']) / Number(peer['seconds']), 3),
          app_speed_over_native: round(Number(peer['seconds']) / Number(fastest['seconds']), 3),
        }
      : {}),
  });
}

main().catch((e: unknown) => {
  console.error(`error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
