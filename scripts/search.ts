/**
 * Headless runner: `npm run search -- --dataset digits --evaluations 6 --seed 1 --out DIR`, or on a person's
 * own files with `--dataset-file FILE` (repeat it for IDX images + labels).
 * Serves the built app, drives headless Chromium, runs the UI's own search worker, prints `run RUN_ID`
 * then one line per candidate, and writes DIR/run.json, DIR/candidates.csv and DIR/front.svg. With
 * --retrain-front [--retrain-epochs N], the front is then trained on the whole training split and tested.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { datasetFromFiles, type InputFile } from '../src/lib/data/files';
import type { Dataset } from '../src/lib/data/dataset';
import { choiceOf, datasetNameOf, metaOf } from '../src/lib/data/stored';
import { fileURLToPath } from 'node:url';
import { BUILTIN_DATASETS, type BuiltinDatasetName } from '../src/lib/data/builtin';
import { BACKENDS, type BackendPreference } from '../src/lib/model/names';
import { bestAccuracy, frontIds, costModelOnRun } from '../src/lib/run/analysis';
import { checkConfig, defaultConfig } from '../src/lib/run/config';
import { candidatesCsv } from '../src/lib/run/csv';
import type { RunEvent } from '../src/lib/run/events';
import type { CandidateRecord, DatasetChoice, RunConfig, RunRecord } from '../src/lib/records';
import { ALGORITHMS, type AlgorithmName } from '../src/lib/search/algorithm';
import { OBJECTIVES, type ObjectiveId } from '../src/lib/search/objectives';
import type {} from '../src/headless'; // window.evonas
import { one, parseArgs, UsageError, runCli } from './lib/args';
import { ensureBuilt } from './lib/build';
import { choose, minutesFrom, onOff, positive, workersFrom } from './lib/runOptions';
import { retrainFront } from './lib/retrainFront';
import { shareFrom } from './lib/shareArgs';
import { openSession, type BrowserSession } from './lib/session';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SPEC = {
  dataset: { kind: 'string' },
  evaluations: { kind: 'int' },
  population: { kind: 'int' },
  seed: { kind: 'int' },
  out: { kind: 'string' },
  backend: { kind: 'string' },
  profile: { kind: 'string' },
  resume: { kind: 'string' },
  algorithm: { kind: 'string' },
  objectives: { kind: 'string' },
  epochs: { kind: 'int' },
  'train-images': { kind: 'int' },
  port: { kind: 'int' },
  'dataset-file': { kind: 'string', repeat: true },
  'multi-fidelity': { kind: 'string' },
  'inherit-weights': { kind: 'string' },
  workers: { kind: 'int' },
  minutes: { kind: 'number' },
  'retrain-epochs': { kind: 'int' },
  share: { kind: 'string' },
  lab: { kind: 'string' },
} as const;
const FLAGS = ['retrain-front', 'host-only'];

/**
 * Reads and checks --dataset-file FILE... here, with the app's own parser, so bad input fails before a
 * browser starts: one line naming the file and the problem, exit 2.
 */
async function readDatasetFiles(paths: readonly string[]): Promise<{ files: InputFile[]; dataset: Dataset } | null> {
  if (paths.length === 0) return null;
  const files: InputFile[] = [];
  for (const path of paths) {
    if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`--dataset-file ${path}: no such file`);
    files.push({ name: basename(path), bytes: new Uint8Array(readFileSync(path)) });
  }
  const parsed = await datasetFromFiles(files, datasetNameOf(basename(paths[0]!)));
  if (!parsed.ok) throw new UsageError(`--dataset-file: ${parsed.error.message}`);
  return { files, dataset: parsed.value };
}

function objectivesFrom(value: string | undefined, fallback: readonly ObjectiveId[]): readonly ObjectiveId[] {
  if (value === undefined) return fallback;
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids) choose<ObjectiveId>(id, OBJECTIVES, 'objectives', 'error');
  if (ids.length === 0) throw new UsageError(`--objectives needs at least one of ${OBJECTIVES.join(', ')}`);
  return OBJECTIVES.filter((o) => ids.includes(o));
}

function configFrom(values: ReturnType<typeof parseArgs>['values'], stored: DatasetChoice | null): RunConfig {
  if (stored && one(values, 'dataset') !== undefined) throw new UsageError('give either --dataset or --dataset-file, not both');
  const base = defaultConfig(stored ?? choose<BuiltinDatasetName>(one(values, 'dataset'), BUILTIN_DATASETS, 'dataset', 'digits'));
  const evaluations = positive(one(values, 'evaluations'), 'evaluations', base.evaluations);
  return {
    ...base,
    evaluations,
    populationSize: positive(one(values, 'population'), 'population', Math.min(base.populationSize, evaluations)),
    seed: one<number>(values, 'seed') ?? base.seed,
    backend: choose<BackendPreference>(one(values, 'backend'), ['auto', ...BACKENDS], 'backend', 'auto'),
    algorithm: choose<AlgorithmName>(one(values, 'algorithm'), ALGORITHMS, 'algorithm', base.algorithm),
    objectives: objectivesFrom(one(values, 'objectives'), base.objectives),
    ...onOff(one(values, 'multi-fidelity'), 'multi-fidelity', 'multiFidelity'),
    ...workersFrom(one(values, 'workers')),
    ...minutesFrom(one(values, 'minutes')),
    ...onOff(one(values, 'inherit-weights'), 'inherit-weights', 'inheritWeights'),
    budget: {
      ...base.budget,
      maxEpochs: positive(one(values, 'epochs'), 'epochs', base.budget.maxEpochs),
      maxTrainImages: positive(one(values, 'train-images'), 'train-images', base.budget.maxTrainImages),
    },
  };
}

/** Serves the files to the page on its own origin and lets the app import them into its IndexedDB. */
async function importThroughPage(page: Page, origin: string, files: readonly InputFile[]): Promise<DatasetChoice> {
  const urls = files.map((f, i) => ({ name: f.name, url: `${origin}/__cli-dataset/${i}` }));
  await page.route(`${origin}/__cli-dataset/*`, (route) => route.fulfill({ body: Buffer.from(files[Number(route.request().url().split('/').pop())]!.bytes) }));
  const result = await page.evaluate((u) => window.evonas.importDataset(u), urls);
  if (!result.ok) throw new UsageError(`--dataset-file: ${result.message}`);
  console.error(
    `dataset ${result.meta.name}: ${result.meta.images} images of ${result.meta.height}x${result.meta.width}x${result.meta.channels}, ${result.meta.classNames.length} classes`,
  );
  return choiceOf(result.meta);
}

function describe(c: CandidateRecord): string {
  const m = c.metrics;
  if (c.status === 'failed') return `candidate ${c.seq} gen ${c.generation} failed: ${c.failure?.message ?? 'unknown error'}`;
  return `candidate ${c.seq} gen ${c.generation} acc=${m.accuracy.toFixed(3)} params=${m.params} flops=${m.flops} latency_ms=${m.latencyMs.toFixed(3)} energy_mj=${m.energyMj.toFixed(3)} train_s=${(c.timings.trainMs / 1000).toFixed(1)} total_s=${(c.timings.totalMs / 1000).toFixed(1)}`;
}

function writeOutputs(out: string, run: RunRecord, candidates: CandidateRecord[], frontSvg: string, bundle: string | null): void {
  mkdirSync(out, { recursive: true });
  const front = frontIds(candidates, run.config.objectives);
  const summary = {
    run,
    candidates: candidates.length,
    failed: candidates.filter((c) => c.status === 'failed').length,
    best_accuracy: bestAccuracy(candidates),
    front: candidates.filter((c) => front.has(c.id)).map((c) => c.id),
    mean_candidate_s: candidates.reduce((s, c) => s + c.timings.totalMs, 0) / Math.max(1, candidates.length) / 1000,
    latency_prediction_last20: costModelOnRun(candidates, 20),
  };
  writeFileSync(join(out, 'run.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(join(out, 'candidates.csv'), candidatesCsv(run, candidates));
  writeFileSync(join(out, 'front.svg'), frontSvg);
  // the whole run as the app exports it: `npm run bench:replay` re-scores a cost model on it without searching again
  if (bundle) writeFileSync(join(out, 'bundle.json'), bundle);
}

async function main(): Promise<number> {
  const { values, flags } = parseArgs(process.argv.slice(2), SPEC, FLAGS);
  const retrainEpochs = positive(one(values, 'retrain-epochs'), 'retrain-epochs', 0) || undefined;
  if (retrainEpochs && !flags.has('retrain-front')) throw new UsageError('--retrain-epochs goes with --retrain-front');
  const out = one<string>(values, 'out');
  if (!out) throw new UsageError('--out DIR is required (where run.json, candidates.csv, front.svg and bundle.json go)');
  const resumeId = one<string>(values, 'resume');
  const profile = one<string>(values, 'profile');
  if (resumeId && !profile) throw new UsageError('--resume needs --profile DIR: the run is stored in that browser profile');
  const userData = await readDatasetFiles((values.get('dataset-file') ?? []).map(String));
  if (userData && resumeId) throw new UsageError('--resume continues a stored run; drop --dataset-file');
  // the shape is known here; the id is assigned once the page has stored the files
  const provisional = userData ? choiceOf(metaOf('pending', userData.dataset, [], 0)) : null;
  const shared = shareFrom(one(values, 'share'), one(values, 'lab'), flags.has('host-only'));
  let config: RunConfig = { ...configFrom(values, provisional), ...(shared ? { share: shared.share } : {}) };
  // the worker checks the same again; here a bad setting costs no build and no browser (exit 2)
  const { problems } = checkConfig(config);
  if (problems.length > 0) throw new UsageError(problems.join(' '));
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
      if (event.kind === 'backend')
        console.error(
          `backend ${event.backend.name}${event.backend.adapter ? ` (${event.backend.adapter})` : ''}, ${
            config.share
              ? `shared: 2 candidates in flight per active device, at most ${event.workers}`
              : `${event.workers} training worker${event.workers === 1 ? '' : 's'}`
          }`,
        );
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
      await page.evaluate(([id, key]) => window.evonas.resume(id, key), [runId, shared?.labKey] as const);
    } else {
      if (userData) config = { ...config, dataset: await importThroughPage(page, session.origin, userData.files) };
      runId = await page.evaluate(([c, key]) => window.evonas.start(c, key), [config, shared?.labKey] as const);
      console.log(`run ${runId}`);
    }
    if (shared) console.log(`join ${await page.evaluate((id) => window.evonas.joinLink(id), runId)}`);
    const status = await page.evaluate(() => window.evonas.waitForEnd());
    if (flags.has('retrain-front') && status === 'done') await retrainFront(page, runId, retrainEpochs, console.log);
    const { run, candidates } = await page.evaluate((id) => window.evonas.runDetail(id), runId);
    if (!run) throw new Error(`run ${runId} vanished from storage`);
    writeOutputs(
      out,
      run,
      candidates,
      await page.evaluate((id) => window.evonas.frontSvg(id), runId),
      await page.evaluate((id) => window.evonas.exportRun(id), runId),
    );
    if (status !== 'done' && run.status !== 'done') {
      throw new Error(`the run ended ${run.status}${run.message ? `: ${run.message}` : ''}${pageErrors.length ? ` (page error: ${pageErrors[0]})` : ''}`);
    }
    const predicted = costModelOnRun(candidates, 20);
    if (predicted)
      console.error(
        `latency predicted before training: ${Math.round(predicted.within10Share * predicted.n)} of the last ${predicted.n} within ±10% (median error ${predicted.medianAbsPctErr.toFixed(1)}%)`,
      );
    console.error(
      `done: ${candidates.length} candidates, best accuracy ${bestAccuracy(candidates).toFixed(3)}${
        run.config.share ? `, front measured on ${run.remeasures?.length ?? 0} joined device(s)` : ''
      }; wrote ${out}/run.json, candidates.csv, front.svg, bundle.json`,
    );
    return 0;
  } finally {
    await session?.close();
  }
}

runCli(main);
