/**
 * `npm run bench:lab -- [--contexts 1,2,4] [--evaluations 12] [--epochs 1] [--train-images 500] [--backend wasm] [--json]`:
 * candidates per hour of one shared run on this machine, with 1, 2, 4 ... devices. For each count: a fresh lab
 * server (`npm run lab -- start`), a host that only searches (`npm run search -- --share ... --host-only`), and
 * that many `npm run lab -- worker --join` processes, each its own headless Chromium. The clock runs from the
 * join link to the last candidate recorded (and on to the host's exit, after every device measured the front);
 * the run must end with every candidate done exactly once. First, the peer: the same search without a lab (the
 * app's own training pool, as one user runs it), whose rate every line is a ratio against. Everything shares this
 * machine's cores, so the figure says what the lab costs per candidate, not how a class of laptops scales.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linePrinter, one, parseArgs, UsageError, runCli } from './lib/args';
import { killTree, startScript } from './lib/processes';

const SPEC = {
  contexts: { kind: 'string' },
  evaluations: { kind: 'int' },
  epochs: { kind: 'int' },
  'train-images': { kind: 'int' },
  backend: { kind: 'string' },
} as const;
const BASE_PORT = 4700;

interface Options {
  readonly evaluations: number;
  readonly epochs: number;
  readonly trainImages: number;
  readonly backend: string;
}

const SEARCH_ARGS = (o: Options): string[] => [
  ...['--dataset', 'digits', '--evaluations', String(o.evaluations), '--seed', '1', '--epochs', String(o.epochs)],
  ...['--train-images', String(o.trainImages), '--backend', o.backend],
];

/** When the runner has printed its `count`-th candidate line (or exited). */
function lastCandidateAt(runner: ReturnType<typeof startScript>, count: number): Promise<number> {
  return new Promise((resolve) => {
    const watch = setInterval(() => {
      if ((runner.out().match(/^candidate \d+ /gm) ?? []).length >= count) done();
    }, 100);
    const done = () => {
      clearInterval(watch);
      resolve(Date.now());
    };
    void runner.exited.then(done);
  });
}

/** The peer: the same search on this machine without a lab (the app's own pool), from `run RUN_ID` to its last candidate. */
async function measureLocal(o: Options): Promise<Record<string, unknown>> {
  const out = mkdtempSync(join(tmpdir(), 'bench-lab-local-'));
  const runner = startScript('scripts/search.ts', [...SEARCH_ARGS(o), '--port', String(BASE_PORT - 1), '--out', out]);
  await runner.line(/^run \S+$/m, 300_000);
  const started = Date.now();
  const ended = lastCandidateAt(runner, o.evaluations);
  const code = await runner.exited;
  if (code !== 0) throw new Error(`the local run exited ${code}: ${runner.err().trim().split('\n').slice(-3).join(' | ')}`);
  const seconds = ((await ended) - started) / 1000;
  const recorded = (runner.out().match(/^candidate \d+ /gm) ?? []).length;
  return {
    engine: 'local',
    evaluations: o.evaluations,
    done: recorded,
    search_seconds: Math.round(seconds * 10) / 10,
    candidates_per_hour: Math.round((recorded / seconds) * 3600),
  };
}

/** One shared run with `contexts` devices; ports are offset by `slot` so runs never meet. */
async function measure(contexts: number, slot: number, o: Options): Promise<Record<string, unknown>> {
  const port = BASE_PORT + slot * 20;
  const dir = mkdtempSync(join(tmpdir(), 'bench-lab-'));
  const out = mkdtempSync(join(tmpdir(), 'bench-lab-run-'));
  const lab = startScript('scripts/lab.ts', ['start', '--dir', dir, '--port', String(port), '--ws-port', String(port + 1)]);
  const workers: { pid: number; profile: string }[] = [];
  try {
    await lab.line(/^host key /m, 30_000);
    const host = startScript('scripts/search.ts', [
      ...SEARCH_ARGS(o),
      ...['--port', String(port + 2), '--share', `ws://127.0.0.1:${port + 1}`, '--lab', dir, '--host-only', '--out', out],
    ]);
    console.error(`${contexts} device(s): lab on ${port}, host started (it builds the app first if needed)`);
    const link = (await host.line(/^join (\S+)$/m, 300_000))[1]!;
    const started = Date.now();
    for (let i = 0; i < contexts; i++) {
      const profile = mkdtempSync(join(tmpdir(), 'bench-lab-device-'));
      const device = startScript('scripts/lab.ts', ['worker', '--join', link, '--port', String(port + 3 + i), '--profile', profile]);
      workers.push({ pid: device.child.pid!, profile });
    }
    // the search ends with its last candidate; the host then has the devices measure the front, and exits
    const searchEnded = lastCandidateAt(host, o.evaluations);
    const code = await host.exited;
    const seconds = (Date.now() - started) / 1000;
    const searchSeconds = ((await searchEnded) - started) / 1000;
    if (code !== 0) throw new Error(`the host exited ${code}: ${host.err().trim().split('\n').slice(-3).join(' | ')}`);
    // the host prints one line per candidate it records
    const lines = [...host.out().matchAll(/^candidate (\d+) gen \d+ (\S+)/gm)];
    const seqs = lines.map((m) => Number(m[1])).sort((a, b) => a - b);
    const eachOnce = seqs.length === o.evaluations && seqs.every((s, i) => s === i);
    return {
      engine: 'lab',
      contexts,
      evaluations: o.evaluations,
      done: lines.filter((m) => m[2] !== 'failed:').length,
      each_once: eachOnce,
      search_seconds: Math.round(searchSeconds * 10) / 10,
      seconds_with_front: Math.round(seconds * 10) / 10,
      front_measured_on: Number(/front measured on (\d+) joined/.exec(host.err())?.[1] ?? 0),
      candidates_per_hour: Math.round((lines.length / searchSeconds) * 3600),
    };
  } finally {
    for (const w of workers) killTree(w.pid, w.profile);
    killTree(lab.child.pid!, dir); // the lab's nats-server names its directory
    await lab.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values, flags } = parseArgs(process.argv.slice(2), SPEC, ['json']);
  const contexts = (one<string>(values, 'contexts') ?? '1,2,4').split(',').map(Number);
  if (contexts.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) throw new UsageError('--contexts takes whole numbers from 1 to 8, e.g. 1,2,4');
  const options: Options = {
    evaluations: one<number>(values, 'evaluations') ?? 12,
    epochs: one<number>(values, 'epochs') ?? 1,
    trainImages: one<number>(values, 'train-images') ?? 500,
    backend: one<string>(values, 'backend') ?? 'wasm',
  };
  if (options.evaluations < 2) throw new UsageError('--evaluations must be at least 2');
  const print = linePrinter(flags.has('json'));
  const local = await measureLocal(options);
  print(local);
  for (const [slot, n] of contexts.entries()) {
    const line = await measure(n, slot, options);
    print({ ...line, over_local: Math.round((Number(line['candidates_per_hour']) / Number(local['candidates_per_hour'])) * 1000) / 1000 });
  }
}

runCli(main);
