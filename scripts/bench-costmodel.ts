/**
 * `npm run bench:costmodel -- [--backend cpu --backend webgpu ...] [--grid quick|full] [--fit N] [--held-out N]
 *  [--dataset fashion-mnist|digits] [--batch 1] [--dump FILE-{backend}.json] [--json]`: calibrates the per-op latency model in headless Chromium on each
 * backend, then predicts held-out random networks it never saw; one line (JSON with --json) per backend.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '../src/headless';
import { BUILTIN_DATASETS, type BuiltinDatasetName } from '../src/lib/data/builtin';
import { median } from '../src/lib/core/stats';
import { calibrationOptions } from '../src/lib/measure/calibrationSize';
import type { CalibrationOptions } from '../src/lib/measure/calibrate';
import { BACKENDS, type BackendName } from '../src/lib/model/names';
import { defaultConfig, limitsFor } from '../src/lib/run/config';
import { linePrinter, one, parseArgs, UsageError } from './lib/args';
import { ensureBuilt } from './lib/build';
import { openSession } from './lib/session';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SHAPES: Record<BuiltinDatasetName, { height: number; width: number; channels: number; classes: number }> = {
  digits: { height: 8, width: 8, channels: 1, classes: 10 },
  'fashion-mnist': { height: 28, width: 28, channels: 1, classes: 10 },
};

async function main(): Promise<void> {
  const { values, flags } = parseArgs(
    process.argv.slice(2),
    {
      backend: { kind: 'string', repeat: true },
      grid: { kind: 'string' },
      fit: { kind: 'int' },
      'held-out': { kind: 'int' },
      dataset: { kind: 'string' },
      seed: { kind: 'int' },
      port: { kind: 'int' },
      dump: { kind: 'string' },
      batch: { kind: 'int' },
    },
    ['json'],
  );
  const backends = (values.get('backend') ?? BACKENDS) as string[];
  for (const b of backends)
    if (!(BACKENDS as readonly string[]).includes(b)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}; got "${b}"`);
  const dataset = (one<string>(values, 'dataset') ?? 'fashion-mnist') as BuiltinDatasetName;
  if (!BUILTIN_DATASETS.includes(dataset)) throw new UsageError(`--dataset must be one of ${BUILTIN_DATASETS.join(', ')}`);
  const heldOut = one<number>(values, 'held-out') ?? 30;
  const full = calibrationOptions('full', limitsFor(defaultConfig(dataset), SHAPES[dataset]), one<number>(values, 'seed') ?? 1);
  const grid = one<string>(values, 'grid') ?? full.grid;
  if (grid !== 'quick' && grid !== 'full') throw new UsageError(`--grid must be quick or full; got "${grid}"`);
  // the app's full calibration, with only what the flags change
  const options: CalibrationOptions = {
    ...full,
    grid,
    fitNetworks: one<number>(values, 'fit') ?? full.fitNetworks,
    heldOutNetworks: heldOut,
    repeatNetworks: Math.min(full.repeatNetworks, heldOut),
    protocol: { ...full.protocol, batchSize: one<number>(values, 'batch') ?? 1 },
  };
  await ensureBuilt(ROOT);
  const session = await openSession(ROOT, one<number>(values, 'port') ?? 4320, undefined, '/headless.html');
  try {
    await session.page.exposeBinding('evonasProgress', () => undefined);
    await session.page.goto(session.origin);
    await session.page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    for (const backend of backends as BackendName[]) {
      try {
        const {
          backend: info,
          manifest,
          profile: result,
        } = await session.page.evaluate(([b, o]) => window.evonas.calibrate(b, o), [backend, options] as const);
        const a = result.accuracy;
        const line = {
          backend: info.name,
          adapter: info.adapter,
          dataset,
          grid,
          n_ops: result.opSamples.length,
          n_fit: a.nFit,
          n_heldout: a.nHeldOut,
          n_kernel_timed: result.networkSamples.filter((s) => s.kernelMs).length,
          timing_weight: result.model.kernels?.timingWeight ?? 0,
          within10_share: round(a.within10Share),
          median_abs_pct_err: round(a.medianAbsPctErr),
          latency_cv: round(a.latencyCv),
          median_latency_ms: round(median(a.pairs.map((p) => p.measuredMs))),
          timer_resolution_ms: manifest.timerResolutionMs,
          cross_origin_isolated: manifest.crossOriginIsolated,
          duration_s: Math.round(result.durationMs / 1000),
        };
        const dump = one<string>(values, 'dump');
        if (dump) writeFileSync(dump.replace('{backend}', info.name), JSON.stringify({ manifest, result }, null, 1));
        linePrinter(flags.has('json'))(line);
      } catch (e) {
        const error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
        console.log(flags.has('json') ? JSON.stringify({ backend, error }) : `backend=${backend} error=${error}`);
      }
    }
  } finally {
    await session.close();
  }
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

main().catch((e: unknown) => {
  console.error(`error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
