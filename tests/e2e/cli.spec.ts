import { expect, test } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsvRecords } from '../csv-reader';

/** The headless runner as a user calls it: a real process, real Chromium, real files. */
function search(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['tsx', 'scripts/search.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SMALL = [
  '--dataset',
  'digits',
  '--evaluations',
  '4',
  '--population',
  '2',
  '--seed',
  '5',
  '--epochs',
  '1',
  '--train-images',
  '200',
  '--backend',
  'cpu',
  '--port',
  '4331',
];

/**
 * Two generations, so selection matters. Objectives that training fixes exactly (error, params, FLOPs) on
 * the deterministic CPU backend: the second run must take every decision the first took. (Measured
 * latency and energy differ between processes, so with them only the first generation is guaranteed.)
 */
test('npm run search writes run.json, candidates.csv and front.svg, and repeats itself with the same seed', async () => {
  const dirs = [mkdtempSync(join(tmpdir(), 'cli-a-')), mkdtempSync(join(tmpdir(), 'cli-b-'))];
  const results = dirs.map((out) => search([...SMALL, '--objectives', 'error,params,flops', '--out', out]));
  for (const r of results) {
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run run-[a-z0-9]+-[a-z0-9]{4}$/);
    expect(lines.slice(1)).toHaveLength(4);
    for (const line of lines.slice(1)) expect(line).toMatch(/^candidate \d gen \d acc=0\.\d{3} params=\d+ flops=\d+ latency_ms=/);
  }
  const [a, b] = dirs.map((d) => parseCsvRecords(readFileSync(join(d, 'candidates.csv'), 'utf8')));
  expect(a!.map((r) => r['genome'])).toEqual(b!.map((r) => r['genome']));
  expect(a!.map((r) => r['accuracy'])).toEqual(b!.map((r) => r['accuracy']));

  // on_front is the non-dominated set of the run's objectives, recomputed here from the CSV
  const objectives = a!.map((r) => [1 - Number(r['accuracy']), Number(r['params']), Number(r['flops'])]);
  const dominated = (p: number[]) => objectives.some((q) => q.every((v, k) => v <= p[k]!) && q.some((v, k) => v < p[k]!));
  expect(a!.map((r) => r['on_front'])).toEqual(objectives.map((p) => (dominated(p) ? '0' : '1')));

  const run = JSON.parse(readFileSync(join(dirs[0]!, 'run.json'), 'utf8'));
  expect(run.candidates).toBe(4);
  expect(run.run.backend.name).toBe('cpu');
  expect(readFileSync(join(dirs[0]!, 'front.svg'), 'utf8')).toMatch(/^<\?xml[^]*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[^]*<circle/);
});

test('--retrain-front trains the front again on the whole training split and writes its test accuracy', async () => {
  const out = mkdtempSync(join(tmpdir(), 'cli-front-'));
  const r = search([...SMALL, '--objectives', 'error,params', '--retrain-front', '--retrain-epochs', '1', '--out', out]);
  expect(r.status, r.stderr).toBe(0);
  const rows = parseCsvRecords(readFileSync(join(out, 'candidates.csv'), 'utf8'));
  const front = rows.filter((row) => row['on_front'] === '1');
  const retrained = r.stdout.split('\n').filter((l) => l.startsWith('retrained candidate '));
  expect(retrained.length).toBeGreaterThanOrEqual(front.length);
  for (const row of front) {
    expect(row['test_epochs']).toBe('1');
    const line = retrained.find((l) => l.startsWith(`retrained candidate ${row['seq']} `));
    // the printed score is the stored one, on the digits' seeded 15% test split
    expect(line).toMatch(
      new RegExp(`epochs=1 val_acc=\\S+ test_acc=${Number(row['test_accuracy']).toFixed(4)} params=${row['params']} train_images=1\\d{3} test_images=2\\d{2} `),
    );
  }
  expect(r.stdout).toMatch(/^test, by parameters: most accurate #\d+ test_acc=0\.\d{4} params=\d+ .*; cheapest within 1 point #\d+ /m);
});

test('bad arguments get one clear line and a non-zero exit', () => {
  for (const [args, message] of [
    [['--dataset', 'cifar', '--out', '/tmp/x'], /--dataset must be one of digits, fashion-mnist; got "cifar"/],
    [['--evaluations', 'many', '--out', '/tmp/x'], /--evaluations must be a whole number/],
    [['--dataset', 'digits'], /--out DIR is required/],
    [['--out', '/tmp/x', '--resume', 'run-1'], /--resume needs --profile/],
    [['--out', '/tmp/x', '--frobnicate', '1'], /unknown option --frobnicate/],
    [['--out', '/tmp/x', '--objectives', 'error,speed'], /--objectives must be one of error, params, flops, latency, energy; got "speed"/],
    [['--out', '/tmp/x', '--multi-fidelity', 'maybe'], /--multi-fidelity must be on or off; got "maybe"/],
    [['--out', '/tmp/x', '--workers', '0'], /--workers must be from 1 to 8, got 0/],
    [['--out', '/tmp/x', '--minutes', 'soon'], /--minutes must be a number, got "soon"/],
    [['--out', '/tmp/x', '--minutes', '-1'], /--minutes must be a positive number, got -1/],
    [['--out', '/tmp/x', '--retrain-epochs', '2'], /--retrain-epochs goes with --retrain-front/],
    // checked like the set-up's form, before any build or browser starts
    [['--out', '/tmp/x', '--population', '1'], /Population must be a whole number of at least 2 \(got 1\)/],
    [['--out', '/tmp/x', '--dataset-file', 'tests/fixtures/bad/partial_batch.bin'], /--dataset-file: partial_batch.bin ends inside a record/],
    [['--out', '/tmp/x', '--dataset-file', 'tests/fixtures/bad/ragged.csv'], /--dataset-file: ragged.csv, line 13: 3 values/],
    [['--out', '/tmp/x', '--dataset-file', 'tests/fixtures/bad/images-idx3-ubyte'], /exactly one image file and one label file/],
    [['--out', '/tmp/x', '--dataset-file', 'no/such/file.idx'], /--dataset-file no\/such\/file.idx: no such file/],
    [['--out', '/tmp/x', '--dataset', 'digits', '--dataset-file', 'tests/fixtures/bad/digits-like.csv'], /either --dataset or --dataset-file/],
  ] as const) {
    const r = search([...args]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  }
});

test("--dataset-file trains on a person's own IDX files", () => {
  const out = mkdtempSync(join(tmpdir(), 'cli-file-'));
  const r = search([
    '--dataset-file',
    'tests/fixtures/bad/images-idx3-ubyte',
    '--dataset-file',
    'tests/fixtures/bad/labels-idx1-ubyte',
    '--evaluations',
    '2',
    '--population',
    '2',
    '--backend',
    'cpu',
    '--port',
    '4331',
    '--out',
    out,
  ]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/dataset images-idx3-ubyte: 30 images of 8x8x1, 3 classes/);
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  expect(run.run.config.dataset).toMatchObject({ kind: 'stored', images: 30 });
  expect(run.candidates).toBe(2);
});

/** Kills every process of the Chromium that uses this profile (Playwright starts it in its own process group). */
function killProfile(profile: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(profile)) process.kill(Number(entry), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

test('a killed npm run search resumes with --resume and ends with every candidate once', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'cli-profile-'));
  const out = mkdtempSync(join(tmpdir(), 'cli-resume-'));
  const args = [
    '--dataset',
    'digits',
    '--evaluations',
    '8',
    '--population',
    '2',
    '--seed',
    '5',
    '--epochs',
    '1',
    '--train-images',
    '200',
    '--backend',
    'cpu',
    '--port',
    '4331',
    '--profile',
    profile,
    '--out',
    out,
  ];
  const child = spawn('npx', ['tsx', 'scripts/search.ts', ...args], { detached: true });
  let stdout = '';
  const killed = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if ((stdout.match(/^candidate /gm) ?? []).length >= 3) {
        process.kill(-child.pid!, 'SIGKILL');
        killProfile(profile);
        resolve();
      }
    });
  });
  await killed;
  const runId = /^run (run-\S+)/m.exec(stdout)![1]!;
  const r = search(['--resume', runId, '--profile', profile, '--out', out, '--port', '4331']);
  expect(r.status, r.stderr).toBe(0);
  const rows = parseCsvRecords(readFileSync(join(out, 'candidates.csv'), 'utf8'));
  expect(rows.map((row) => Number(row['seq'])).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  expect(rows.every((row) => row['status'] === 'done')).toBe(true);
});

test('--minutes ends a run on time: no candidate starts after the budget, those in flight finish, the run is done', () => {
  const out = mkdtempSync(join(tmpdir(), 'cli-minutes-'));
  const minutes = 0.25;
  const r = search([
    '--dataset',
    'digits',
    '--evaluations',
    '500',
    '--population',
    '4',
    '--seed',
    '3',
    '--backend',
    'cpu',
    '--minutes',
    String(minutes),
    '--port',
    '4331',
    '--out',
    out,
  ]);
  expect(r.status, r.stderr).toBe(0);
  const summary = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  expect(summary.run.status).toBe('done');
  expect(summary.run.config.maxMinutes).toBe(minutes);
  expect(summary.candidates).toBeGreaterThan(0);
  expect(summary.candidates).toBeLessThan(500);
  // running time: the budget plus at most the candidates in flight when it ran out
  const rows = parseCsvRecords(readFileSync(join(out, 'candidates.csv'), 'utf8'));
  const longest = Math.max(...rows.map((row) => Number(row['total_ms'])));
  expect(summary.run.activeMs).toBeGreaterThanOrEqual(minutes * 60_000);
  expect(summary.run.activeMs).toBeLessThanOrEqual(minutes * 60_000 + longest + 2_000);
});
