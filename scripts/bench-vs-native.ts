/**
 * `npm run bench:vs-native -- [--dataset digits|fashion-mnist] [--minutes M] [--seed S] [--objectives error,params]
 *   [--algorithm A] [--population N] [--multi-fidelity on|off] [--inherit-weights on|off] [--workers N]
 *   [--engines app,native] [--json]`: the app's default search, headless, for M minutes; then Optuna's NSGA-II over
 * the same genome space with each trial trained natively by PyTorch (2 threads) on the same split and budget, for
 * the same seconds. One line per engine (trained networks, best validation accuracy, hypervolume of the trained
 * networks' (error, cost / cap) with the reference point (1, 1)), then their ratio.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '../src/headless';
import { BUILTIN_DATASETS, BUILTIN_INFO, type BuiltinDatasetName } from '../src/lib/data/builtin';
import { DROPOUT_RATES, LEARNING_RATE_RANGES } from '../src/lib/genome/genes';
import { lowerGenome } from '../src/lib/genome/graph';
import { ACTIVATIONS, BATCH_SIZES, FILTERS, KERNELS, LAYER_KINDS, OPTIMIZERS, SCHEDULES, type CnnGenome, type SpaceLimits } from '../src/lib/genome/types';
import { defaultConfig, limitsFor } from '../src/lib/run/config';
import type { CandidateRecord, RunConfig } from '../src/lib/records';
import { ALGORITHMS, type AlgorithmName } from '../src/lib/search/algorithm';
import { hypervolume } from '../src/lib/search/hypervolume';
import { linePrinter, one, parseArgs, UsageError } from './lib/args';
import { ensureBuilt } from './lib/build';
import { openSession } from './lib/session';
import { runPython } from './lib/python';
import { choose, minutesFrom, onOff, positive, workersFrom } from './lib/runOptions';
import { writeSplit } from './lib/split';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;
/** Costs both engines know from the graph, each over its cap so the reference point is (1, 1). */
const COSTS = ['params', 'flops'] as const;
type Cost = (typeof COSTS)[number];

interface Trained {
  readonly accuracy: number;
  readonly params: number;
  readonly flops: number;
}

/** What both engines are scored on: the trained networks' hypervolume and the share that did not learn. */
function score(trained: readonly Trained[], all: number, costs: readonly Cost[], limits: SpaceLimits) {
  const cap = { params: limits.maxParams, flops: limits.maxFlops };
  const points = trained.map((t) => [1 - t.accuracy, ...costs.map((c) => t[c] / cap[c])]);
  return {
    trained: trained.length,
    best_accuracy: round(Math.max(0, ...trained.map((t) => t.accuracy))),
    hv: round(hypervolume(points, points[0]?.map(() => 1) ?? [1])),
    // failed candidates learned nothing either
    below_30_share: round((all - trained.filter((t) => t.accuracy >= 0.3).length) / Math.max(1, all), 3),
  };
}

async function app(config: RunConfig, costs: readonly Cost[], limits: SpaceLimits, port: number) {
  await ensureBuilt(ROOT);
  const session = await openSession(ROOT, port, undefined, '/headless.html');
  try {
    await session.page.goto(session.origin);
    await session.page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    const began = Date.now();
    const runId = await session.page.evaluate((c) => window.evonas.start(c), config);
    const status = await session.page.evaluate(() => window.evonas.waitForEnd());
    const seconds = (Date.now() - began) / 1000;
    const { run, candidates } = await session.page.evaluate((id) => window.evonas.runDetail(id), runId);
    if (status !== 'done') throw new Error(`the app's run ended ${status}${run?.message ? `: ${run.message}` : ''}`);
    const done = candidates.filter((c: CandidateRecord) => c.status === 'done');
    return {
      engine: 'app',
      algorithm: config.algorithm,
      population: config.populationSize,
      workers: run?.workers ?? 1,
      backend: run?.backend?.name ?? null,
      seconds: round(seconds, 1),
      candidates: candidates.length,
      ...score(
        done.map((c: CandidateRecord) => ({ accuracy: c.metrics.accuracy, params: c.metrics.params, flops: c.metrics.flops })),
        candidates.length,
        costs,
        limits,
      ),
      // multi-fidelity stops a candidate after its first epoch and keeps that epoch's accuracy
      stopped_early: candidates.filter((c: CandidateRecord) => c.stoppedEarly).length,
      below_30_share_trained_fully: round(
        candidates.filter((c: CandidateRecord) => !c.stoppedEarly && !(c.status === 'done' && c.metrics.accuracy >= 0.3)).length /
          Math.max(1, candidates.filter((c: CandidateRecord) => !c.stoppedEarly).length),
        3,
      ),
    };
  } finally {
    await session.close();
  }
}

interface PeerTrial {
  readonly genome: CnnGenome;
  readonly state: 'trained' | 'over-caps' | 'no-convolution';
  readonly accuracy?: number;
  readonly params: number;
  readonly flops: number;
}

async function native(config: RunConfig, dataset: BuiltinDatasetName, seconds: number, costs: readonly Cost[], limits: SpaceLimits) {
  const dir = mkdtempSync(join(tmpdir(), 'evonas-vs-native-'));
  const data = await writeSplit(ROOT, dataset, config, dir);
  const manifest = {
    seed: config.seed,
    seconds,
    threads: Math.min(cpus().length, 2),
    objectives: ['error', ...costs],
    trials_out: join(dir, 'trials.json'),
    data: { ...data.files, shape: data.shape, classes: data.classes },
    limits: {
      maxParams: limits.maxParams,
      maxFlops: limits.maxFlops,
      maxEpochs: limits.maxEpochs,
      maxBlocks: limits.maxBlocks,
      maxLayersPerBlock: limits.maxLayersPerBlock,
    },
    // the genome space's own grids; each optimizer's learning rates as the continuous range a script would search
    space: {
      layerKinds: LAYER_KINDS,
      filters: FILTERS,
      kernels: KERNELS,
      activations: ACTIVATIONS,
      convActivations: [...ACTIVATIONS, 'linear'],
      dropoutRates: DROPOUT_RATES,
      optimizers: OPTIMIZERS,
      batchSizes: BATCH_SIZES,
      schedules: SCHEDULES,
      learningRateRanges: Object.fromEntries(
        OPTIMIZERS.map((o) => [o, [LEARNING_RATE_RANGES[o][0], LEARNING_RATE_RANGES[o][LEARNING_RATE_RANGES[o].length - 1]]]),
      ),
    },
  };
  const path = join(dir, 'manifest.json');
  writeFileSync(path, JSON.stringify(manifest));
  const r = runPython<Record<string, unknown>>([join(ROOT, 'scripts/bench/optuna_peer.py'), path], (seconds + 900) * 1000, join(ROOT, 'scripts/bench'));
  if (!r.ok) throw new Error(`the Optuna peer failed (needs apt-get install -y python3-torch python3-optuna): ${r.reason}`);
  const line = r.value;
  const trials = JSON.parse(readFileSync(manifest.trials_out, 'utf8')) as PeerTrial[];
  const trained = trials.filter((t) => t.state === 'trained');
  // the peer lowers genomes in Python: the app's own lowering must count the same parameters and FLOPs
  const loweringMatch = trials.every((t) => {
    const g = lowerGenome(t.genome, limits);
    return g.params === t.params && g.flops === t.flops;
  });
  return {
    ...line,
    seconds: Number(line['seconds']),
    ...score(
      trained.map((t) => ({ accuracy: t.accuracy!, params: t.params, flops: t.flops })),
      trained.length,
      costs,
      limits,
    ),
    lowering_match: loweringMatch,
  };
}

function configFrom(values: ReturnType<typeof parseArgs>['values'], dataset: BuiltinDatasetName): { config: RunConfig; costs: Cost[] } {
  const base = defaultConfig(dataset);
  const objectives = (one<string>(values, 'objectives') ?? 'error,params').split(',').map((s) => s.trim());
  const costs = objectives.slice(1) as Cost[];
  if (objectives[0] !== 'error' || costs.length === 0 || !costs.every((c) => COSTS.includes(c))) {
    throw new UsageError(
      `--objectives must be error followed by one or both of ${COSTS.join(', ')} (the costs both engines know); got "${objectives.join(',')}"`,
    );
  }
  const config: RunConfig = {
    ...base,
    seed: one<number>(values, 'seed') ?? 1,
    algorithm: choose<AlgorithmName>(one(values, 'algorithm'), ALGORITHMS, 'algorithm', base.algorithm),
    populationSize: positive(one(values, 'population'), 'population', base.populationSize),
    objectives: objectives as RunConfig['objectives'],
    evaluations: 100_000,
    maxMinutes: 4,
    ...minutesFrom(one(values, 'minutes')),
    ...workersFrom(one(values, 'workers')),
    ...onOff(one(values, 'multi-fidelity'), 'multi-fidelity', 'multiFidelity'),
    ...onOff(one(values, 'inherit-weights'), 'inherit-weights', 'inheritWeights'),
  };
  if (config.populationSize < 2) throw new UsageError(`--population must be at least 2, got ${config.populationSize}`);
  return { config, costs };
}

async function main(): Promise<void> {
  const { values, flags } = parseArgs(
    process.argv.slice(2),
    {
      dataset: { kind: 'string' },
      minutes: { kind: 'number' },
      seed: { kind: 'int' },
      objectives: { kind: 'string' },
      algorithm: { kind: 'string' },
      population: { kind: 'int' },
      'multi-fidelity': { kind: 'string' },
      'inherit-weights': { kind: 'string' },
      workers: { kind: 'int' },
      engines: { kind: 'string' },
      port: { kind: 'int' },
    },
    ['json'],
  );
  const dataset = choose<BuiltinDatasetName>(one(values, 'dataset'), BUILTIN_DATASETS, 'dataset', 'fashion-mnist');
  const engines = (one<string>(values, 'engines') ?? 'app,native').split(',');
  if (engines.length === 0 || !engines.every((e) => e === 'app' || e === 'native')) throw new UsageError('--engines must list app and/or native');
  const { config, costs } = configFrom(values, dataset);
  const limits = limitsFor(config, { ...BUILTIN_INFO[dataset].shape, classes: BUILTIN_INFO[dataset].classNames.length });
  const print = linePrinter(flags.has('json'));
  const common = { dataset, seed: config.seed, minutes: config.maxMinutes, objectives: ['error', ...costs].join(',') };
  const ours = engines.includes('app') ? await app(config, costs, limits, one<number>(values, 'port') ?? 4323) : null;
  if (ours) print({ ...common, ...ours });
  // the peer gets the seconds the app took (its own start included), else the minutes asked for
  const peer = engines.includes('native') ? await native(config, dataset, ours?.seconds ?? config.maxMinutes! * 60, costs, limits) : null;
  if (peer) print({ ...common, ...peer });
  if (ours && peer) {
    print({
      engine: 'ratio',
      ...common,
      hv_app_over_native: round(ours.hv / Math.max(1e-9, peer.hv), 3),
      trained_app_over_native: round(ours.trained / Math.max(1, peer.trained), 3),
      seconds_app_over_native: round(ours.seconds / peer.seconds, 3),
    });
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
