/**
 * `npm run bench:train -- [--backend webgpu --backend wasm ...] [--batch 64] [--steps 40] [--warmup 3] [--seconds 20] [--json]`:
 * trains the reference CNN (conv3x3x16-relu, maxpool2, conv3x3x32-relu, maxpool2, dense10; Adam; 28x28
 * Fashion-MNIST) in headless Chromium on each backend and prints one line per backend with training images
 * per second and batch-1 inference latency; with Debian's python3-torch installed, the same network in
 * native PyTorch on the same images, and each backend's ratio to it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '../src/headless';
import { BACKENDS, type BackendName } from '../src/lib/model/names';
import { one, parseArgs, UsageError } from './lib/args';
import { ensureBuilt } from './lib/build';
import { openSession } from './lib/session';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

interface Native {
  readonly train_img_per_s: number;
  readonly infer_b1_median_ms: number;
  readonly torch: string;
  readonly threads: number;
}

/** The PyTorch reference, or null (with the reason on stderr) when python3-torch is not installed. */
function native(batch: number, warmup: number, steps: number): Native | null {
  const threads = Math.min(cpus().length, 2 ** Math.floor(Math.log2(cpus().length)));
  // Debian's python3-torch lives under the system Python, which a pyenv or venv python3 on PATH may hide
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, [join(ROOT, 'scripts/bench/torch_train.py'), join(ROOT, 'public/datasets'), String(batch), String(warmup), String(steps), String(threads)], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) {
    console.error(`native PyTorch skipped: ${(r.stderr || r.error?.message || 'python3 failed').trim().split('\n').pop()}`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Native;
}

const round = (v: number, digits = 3): number => Math.round(v * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const { values, flags } = parseArgs(process.argv.slice(2), {
    backend: { kind: 'string', repeat: true }, batch: { kind: 'int' }, steps: { kind: 'int' }, warmup: { kind: 'int' }, seconds: { kind: 'int' }, port: { kind: 'int' },
  }, ['json']);
  const backends = (values.get('backend') ?? BACKENDS) as string[];
  for (const b of backends) if (!(BACKENDS as readonly string[]).includes(b)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}; got "${b}"`);
  const options = { batchSize: one<number>(values, 'batch') ?? 64, steps: one<number>(values, 'steps') ?? 40, warmupSteps: one<number>(values, 'warmup') ?? 3, maxSeconds: one<number>(values, 'seconds') ?? 20 };
  for (const [k, v] of Object.entries(options)) if (!(v >= 1)) throw new UsageError(`--${k} must be at least 1`);
  const reference = native(options.batchSize, options.warmupSteps, options.steps);
  await ensureBuilt(ROOT);
  const session = await openSession(ROOT, one<number>(values, 'port') ?? 4321, undefined, '/headless.html');
  const print = (line: Record<string, unknown>) => console.log(flags.has('json') ? JSON.stringify(line) : Object.entries(line).map(([k, v]) => `${k}=${v}`).join(' '));
  try {
    await session.page.goto(session.origin);
    await session.page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
    for (const backend of backends as BackendName[]) {
      try {
        const { backend: info, manifest, result } = await session.page.evaluate(([b, o]) => window.evonas.benchTrain(b, o), [backend, options] as const);
        print({
          backend: info.name, adapter: info.adapter, batch: options.batchSize, steps: result.steps,
          train_img_per_s: round(result.trainImgPerS, 1), infer_b1_median_ms: round(result.inferB1.medianMs, 4), final_loss: round(result.finalLoss, 4),
          cross_origin_isolated: manifest.crossOriginIsolated,
          ...(result.dispatches ? { dispatches_per_step: result.dispatches.perStep, dispatches_by_program: result.dispatches.oneStep.byProgram } : {}),
          ...(reference ? {
            native_train_img_per_s: reference.train_img_per_s, native_infer_b1_median_ms: reference.infer_b1_median_ms,
            train_ratio_to_native: round(result.trainImgPerS / reference.train_img_per_s, 4),
            infer_ratio_to_native: round(result.inferB1.medianMs / reference.infer_b1_median_ms, 2),
          } : {}),
        });
      } catch (e) {
        print({ backend, error: (e instanceof Error ? e.message : String(e)).split('\n')[0] });
      }
    }
    if (reference) print({ backend: 'pytorch-native', torch: reference.torch, threads: reference.threads, train_img_per_s: reference.train_img_per_s, infer_b1_median_ms: reference.infer_b1_median_ms });
  } finally {
    await session.close();
  }
}

main().catch((e: unknown) => {
  console.error(`error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  process.exit(e instanceof UsageError ? 2 : 1);
});
