/**
 * Headless runner: `npm run search -- --dataset digits --evaluations 6 --seed 1 --out DIR`.
 * Serves the built app, drives headless Chromium, runs the UI's own search worker, prints `run RUN_ID`
 * then one line per candidate, and writes DIR/run.json, DIR/candidates.csv and DIR/front.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_DATASETS, type BuiltinDatasetName } from '../src/lib/data/builtin';
import { BACKENDS, type BackendPreference } from '../src/lib/model/backend';
import { bestAccuracy, frontIds } from '../src/lib/run/analysis';
import { defaultConfig } from '../src/lib/run/config';
import { candidatesCsv } from '../src/lib/run/csv';
import type { RunEvent } from '../src/lib/run/events';
import type { CandidateRecord, RunConfig, RunRecord } from '../src/lib/run/records';
import { ALGORITHMS, type AlgorithmName } from '../src/lib/search/algorithm';
import { OBJECTIVES, type ObjectiveId } from '../src/lib/search/objectives';
import type {} from '../src/headless'; // window.evonas
import { one, parseArgs, UsageError } from './lib/args';
import { ensureBuilt } from './lib/build';
import { openSession, type BrowserSession } from './lib/session';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SPEC = {
  dataset: { kind: 'string' }, evaluations: { kind: 'int' }, population: { kind: 'int' }, seed: { kind: 'int' },
  out: { kind: 'string' }, backend: { kind: 'string' }, profile: { kind: 'string' }, resume: { kind: 'string' },
  algorithm: { kind: 'string' }, objectives: { kind: 'string' }, epochs: { kind: 'int' }, 'train-images': { kind: 'int' }, port: { kind: 'int' },
} as const;

function choose<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got "${value}"`);
  return value as T;
}

function positive(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (value < 1) throw new UsageError(`--${name} must be at least 1, got ${value}`);
  return value;
}

function objectivesFrom(value: string | undefined, fallback: readonly ObjectiveId[]): readonly ObjectiveId[] {
  if (value === undefined) return fallback;
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of ids) choose<ObjectiveId>(id, OBJECTIVES, 'objectives', 'error');
  if (ids.length === 0) throw new UsageError(`--objectives needs at least one of ${OBJECTIVES.join(', ')}`);
  return OBJECTIVES.filter((o) => ids.includes(o));
}

function configFrom(values: ReturnType<typeof parseArgs>['values']): RunConfig {
  const dataset = choose<BuiltinDatasetName>(one(values, 'dataset'), BUILTIN_DATASETS, 'dataset', 'digits');
  const base = defaultConfig(dataset);
  const evaluations = positive(one(values, 'evaluations'), 'evaluations', base.evaluations);
  return {
    ...base,
    evaluations,
    populationSize: positive(one(values, 'population'), 'population', Math.min(base.populationSize, evaluations)),
    seed: one<number>(values, 'seed') ?? base.seed,
    backend: choose<BackendPreference>(one(values, 'backend'), ['auto', ...BACKENDS], 'backend', 'auto'),
    algorithm: choose<AlgorithmName>(one(values, 'algorithm'), ALGORITHMS, 'algorithm', base.algorithm),
    objectives: objectivesFrom(one(values, 'objectives'), base.objectives),
    budget: {
      ...base.budget,
      maxEpochs: positive(one(values, 'epochs'), 'epochs', base.budget.maxEpochs),
      maxTrainImages: positive(one(values, 'train-images'), 'train-images', base.budget.maxTrainImages),
    },
  };
}

function describe(c: CandidateRecord): string {
  const m = c.metrics;
  if (c.status === 'failed') return `candidate ${c.seq} gen ${c.generation} failed: ${c.failure?.message ?? 'unknown error'}`;
  return `candidate ${c.seq} gen ${c.generation} acc=${m.accuracy.toFixed(3)} params=${m.params} flops=${m.flops} latency_ms=${m.latencyMs.toFixed(3)} energy_mj=${m.energyMj.toFixed(3)} train_s=${(c.timings.trainMs / 1000).toFixed(1)} total_s=${(c.timings.totalMs / 1000).toFixed(1)}`;
}

function writeOutputs(out: string, run: RunRecord, candidates: CandidateRecord[], frontSvg: string): void {
  mkdirSync(out, { recursive: true });
  const front = frontIds(candidates, run.config.objectives);
  const summary = {
    run,
    candidates: candidates.length,
    failed: candidates.filter((c) => c.status === 'failed').length,
    best_accuracy: bestAccuracy(candidates),
    front: candidates.filter((c) => front.has(c.id)).map((c) => c.id),
    mean_candidate_s: candidates.reduce((s, c) => s + c.timings.totalMs, 0) / Math.max(1, candidates.length) / 1000,
  };
  writeFileSync(join(out, 'run.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(join(out, 'candidates.csv'), candidatesCsv(run, candidates));
  writeFileSync(join(out, 'front.svg'), frontSvg);
}

async function main(): Promise<number> {
  const { values } = parseArgs(process.argv.slice(2), SPEC);
  const out = one<string>(values, 'out');
  if (!out) throw new UsageError('--out DIR is required (where run.json, candidates.csv and front.svg go)');
  const resumeId = one<string>(values, 'resume');
  const profile = one<string>(values, 'profile');
  if (resumeId && !profile) throw new UsageError('--resume needs --profile DIR: the run is stored in that browser profile');
  const config = configFrom(values);
  await ensureBuilt(ROOT);
  let session: BrowserSession | null = null;
  // Ctrl-C or a kill: close Chromium too, so the profile is released for --resume.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void (session?.close() ?? Promise.resolve()).finally(() => process.exit(130)));
  }
  try {
    session = await openSession(ROOT, one<number>(values, 'port') ?? 4318, profile && resolve(profile), '/headless.html');
    const { page } = session;
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.exposeBinding('evonasEvent', (_source, event: RunEvent) => {
      if (event.kind === 'candidate-done') console.log(describe(event.candidate));
      if (event.kind === 'backend') console.error(`backend ${event.backend.name}${event.backend.adapter ? ` (${event.backend.adapter})` : ''}`);
    });
    await page.goto(session.origin);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    let runId: string;
    if (resumeId) {
      const known = await page.evaluate((id) => window.evonas.runDetail(id), resumeId);
      if (!known.run) throw new UsageError(`no run ${resumeId} in the profile ${profile}`);
      runId = resumeId;
      console.log(`run ${runId}`);
      for (const c of known.candidates) console.log(describe(c));
      await page.evaluate((id) => window.evonas.resume(id), runId);
    } else {
      runId = await page.evaluate((c) => window.evonas.start(c), config);
      console.log(`run ${runId}`);
    }
    const status = await page.evaluate(() => window.evonas.waitForEnd());
    const { run, candidates } = await page.evaluate((id) => window.evonas.runDetail(id), runId);
    if (!run) throw new Error(`run ${runId} vanished from storage`);
    writeOutputs(out, run, candidates, await page.evaluate((id) => window.evonas.frontSvg(id), runId));
    if (status !== 'done' && run.status !== 'done') {
      throw new Error(`the run ended ${run.status}${run.message ? `: ${run.message}` : ''}${pageErrors.length ? ` (page error: ${pageErrors[0]})` : ''}`);
    }
    console.error(`done: ${candidates.length} candidates, best accuracy ${bestAccuracy(candidates).toFixed(3)}; wrote ${out}/run.json, candidates.csv, front.svg`);
    return 0;
  } finally {
    await session?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    console.error(`error: ${message}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
