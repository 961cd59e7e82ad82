/**
 * `npm run bench:train -- [--backend webgpu --backend wasm ...] [--batch 64] [--steps 40] [--warmup 3] [--seconds 20]
 *   [--profile] [--genome N] [--json]`:
 * trains the reference CNN (conv3x3x16-relu, maxpool2, conv3x3x32-relu, maxpool2, dense10; Adam; 28x28
 * Fashion-MNIST) in headless Chromium on each backend and prints one line per backend with training images
 * per second, achieved GFLOP/s and their share of the backend's peak here, batch-1 inference latency and, on
 * WebGPU, dispatches per step; with Debian's python3-torch installed, the same network in native PyTorch on
 * the same images, and each backend's ratio to it. `--profile` adds one step's kernels by time; `--genome N`
 * trains genome N of scripts/bench/fm24-seed1.json instead (its own optimizer; no native twin).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '../src/headless';
import { BACKENDS, type BackendName } from '../src/lib/model/names';
import type { CnnGenome } from '../src/lib/genome/types';
import { linePrinter, one, parseArgs, UsageError } from './lib/args';
import { ensureBuilt } from './lib/build';
import { runPython } from './lib/python';
import { openSession } from './lib/session';
import { peakGflops } from './lib/peak';
import { REFERENCE_TRAIN_FLOPS_PER_IMAGE } from '../src/lib/measure/trainbench';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

interface Native {
  readonly train_img_per_s: number;
  readonly steps: number;
  readonly infer_b1_median_ms: number;
  readonly torch: string;
  readonly threads: number;
}

/** The PyTorch reference, or null (with the reason on stderr) when python3-torch is not installed. */
function native(batch: number, warmup: number, steps: number): Native | null {
  const threads = Math.min(cpus().length, 2 ** Math.floor(Math.log2(cpus().length)));
  const r = runPython<Native>(
    [join(ROOT, 'scripts/bench/torch_train.py'), join(ROOT, 'public/datasets'), String(batch), String(warmup), String(steps), String(threads)],
    600_000,
  );
  if (!r.ok) console.error(`native PyTorch skipped: ${r.reason}`);
  return r.ok ? r.value : null;
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Achieved GFLOP/s from images per second, and its share of the engine's arithmetic peak here (scripts/lib/peak.ts). */
function arithmetic(imgPerS: number, engine: BackendName | 'native', threads: number): { gflops: number; peak_gflops: number; peak_share: number } {
  const gflops = (imgPerS * REFERENCE_TRAIN_FLOPS_PER_IMAGE) / 1e9;
  const peak = peakGflops(engine, threads);
  return { gflops: round(gflops, 2), peak_gflops: round(peak, 1), peak_share: round(gflops / peak, 3) };
}

async function main(): Promise<void> {
  const { values, flags } = parseArgs(
    process.argv.slice(2),
    {
      backend: { kind: 'string', repeat: true },
      batch: { kind: 'int' },
      steps: { kind: 'int' },
      warmup: { kind: 'int' },
      seconds: { kind: 'int' },
      port: { kind: 'int' },
      genome: { kind: 'int' },
    },
    ['json', 'profile'],
  );
  const backends = (values.get('backend') ?? BACKENDS) as string[];
  for (const b of backends)
    if (!(BACKENDS as readonly string[]).includes(b)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}; got "${b}"`);
  const options = {
    batchSize: one<number>(values, 'batch') ?? 64,
    steps: one<number>(values, 'steps') ?? 40,
    warmupSteps: one<number>(values, 'warmup') ?? 3,
    maxSeconds: one<number>(values, 'seconds') ?? 20,
  };
  for (const [k, v] of Object.entries(options)) if (!(v >= 1)) throw new UsageError(`--${k} must be at least 1`);
  const genomeAt = one<number>(values, 'genome');
  const genomes = (JSON.parse(readFileSync(join(ROOT, 'scripts/bench/fm24-seed1.json'), 'utf8')) as { genomes: CnnGenome[] }).genomes;
  if (genomeAt !== undefined && !genomes[genomeAt])
    throw new UsageError(`--genome must be from 0 to ${genomes.length - 1} (a genome of scripts/bench/fm24-seed1.json)`);
  const genome = genomeAt === undefined ? undefined : genomes[genomeAt];
  const run = { ...options, profile: flags.has('profile'), ...(genome ? { genome } : {}) };
  // a genome has no native twin here: its figures stand alone
  const reference = genome ? null : native(options.batchSize, options.warmupSteps, options.steps);
  await ensureBuilt(ROOT);
  const session = await openSession(ROOT, one<number>(values, 'port') ?? 4321, undefined, '/headless.html');
  const measured: { backend: string; imgPerS: number }[] = [];
  const print = linePrinter(flags.has('json'));
  try {
    await session.page.goto(session.origin);
    await session.page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    for (const backend of backends as BackendName[]) {
      try {
        const { backend: info, manifest, result } = await session.page.evaluate(([b, o]) => window.evonas.benchTrain(b, o), [backend, run] as const);
        measured.push({ backend: info.name, imgPerS: result.trainImgPerS });
        print({
          backend: info.name,
          adapter: info.adapter,
          batch: options.batchSize,
          steps: result.steps,
          ...(genome ? { genome: genomeAt } : {}),
          train_img_per_s: round(result.trainImgPerS, 1),
          ...(genome ? {} : arithmetic(result.trainImgPerS, info.name, manifest.hardwareConcurrency)),
          infer_b1_median_ms: round(result.inferB1.medianMs, 4),
          final_loss: round(result.finalLoss, 4),
          cross_origin_isolated: manifest.crossOriginIsolated,
          ...(result.profile ? { profile: result.profile.slice(0, 12) } : {}),
          ...(result.dispatches ? { dispatches_per_step: result.dispatches.perStep, dispatches_by_program: result.dispatches.oneStep.byProgram } : {}),
          ...(reference
            ? {
                native_train_img_per_s: reference.train_img_per_s,
                native_infer_b1_median_ms: reference.infer_b1_median_ms,
                train_ratio_to_native: round(result.trainImgPerS / reference.train_img_per_s, 4),
                infer_ratio_to_native: round(result.inferB1.medianMs / reference.infer_b1_median_ms, 2),
              }
            : {}),
        });
      } catch (e) {
        print({ backend, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] });
      }
    }
    if (reference)
      print({
        backend: 'pytorch-native',
        torch: reference.torch,
        threads: reference.threads,
        steps: reference.steps,
        train_img_per_s: reference.train_img_per_s,
        ...arithmetic(reference.train_img_per_s, 'native', reference.threads),
        infer_b1_median_ms: reference.infer_b1_median_ms,
      });
    const best = measured.reduce<{ backend: string; imgPerS: number } | null>((a, b) => (!a || b.imgPerS > a.imgPerS ? b : a), null);
    if (reference && best)
      print({ backend: 'ratio', best_in_browser: best.backend, best_train_ratio_to_native: round(best.imgPerS / reference.train_img_per_s, 4) });
  } finally {
    await session.close();
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
