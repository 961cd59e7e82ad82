/**
 * `npm run bench:replay -- --bundle FILE [--bundle FILE ...] [--last N] [--without-timings] [--json]`: replays the latency predictions
 * of searches that ran without a calibration (their `bundle.json` from `npm run search -- --out DIR`) with this
 * checkout's cost model: each candidate is predicted from the candidates its live prediction could know, so a model
 * change is judged on real searches' measurements in seconds, without running them again. One line per run (live
 * and replayed share of the last N within ±10%), then the totals. `--without-timings` replays as if no kernel had
 * been profiled (what WebGL and WebGPU searches know).
 */
import { readFileSync } from 'node:fs';
import { parseBundle, type RunBundle } from '../src/lib/bundle/bundle';
import { searchPredictor } from '../src/lib/run/latencyModel';
import type { CandidateRecord } from '../src/lib/records';
import { linePrinter, one, parseArgs, UsageError } from './lib/args';

const WITHIN_PCT = 10;

/** Sequence numbers a candidate's prediction knew in the live run (run/schedule.ts: generational or steady state). */
function knownBefore(bundle: RunBundle): (seq: number) => number {
  const workers = bundle.run.workers ?? 1;
  return workers <= 1 ? (seq) => seq : (seq) => Math.max(0, seq - 2 * workers);
}

interface Replayed {
  readonly n: number;
  readonly liveWithin: number;
  readonly replayWithin: number;
  /** Candidates whose replayed prediction equals the live one within 0.1%: 100% means the replay is faithful. */
  readonly sameAsLive: number;
}

function replay(bundle: RunBundle, last: number, withTimings: boolean): Replayed {
  const { run } = bundle;
  if (!run.limits) throw new UsageError(`run ${run.id} has no search-space limits stored; it never started`);
  const done = [...bundle.candidates]
    .filter((c) => c.status === 'done')
    .sort((a, b) => a.seq - b.seq)
    // as a backend that cannot profile its kernels (WebGL, WebGPU) would have known them
    .map((c) => (withTimings ? c : { ...c, metrics: { ...c.metrics, kernelMs: undefined } }));
  const predictFrom = searchPredictor(null, run.limits, run.config.power, run.createdAt);
  const known = knownBefore(bundle);
  const scored = done.filter((c) => c.metrics.predictedLatencyMs !== null).slice(-last);
  const pctErr = (predicted: number, c: CandidateRecord) => Math.abs((100 * (predicted - c.metrics.latencyMs)) / c.metrics.latencyMs);
  let liveWithin = 0;
  let replayWithin = 0;
  let sameAsLive = 0;
  for (const c of scored) {
    const live = c.metrics.predictedLatencyMs!;
    const predictor = predictFrom(done.filter((k) => k.seq < known(c.seq)));
    const replayed = predictor ? predictor(c.genome).latencyMs : NaN;
    if (pctErr(live, c) <= WITHIN_PCT) liveWithin++;
    if (pctErr(replayed, c) <= WITHIN_PCT) replayWithin++;
    if (Math.abs(replayed - live) <= 1e-3 * live) sameAsLive++;
  }
  return { n: scored.length, liveWithin, replayWithin, sameAsLive };
}

function main(): void {
  const { values, flags } = parseArgs(process.argv.slice(2), { bundle: { kind: 'string', repeat: true }, last: { kind: 'int' } }, ['json', 'without-timings']);
  const files = (values.get('bundle') ?? []) as string[];
  if (files.length === 0) throw new UsageError('give at least one --bundle FILE (bundle.json of `npm run search -- --out DIR`)');
  const last = one<number>(values, 'last') ?? 20;
  if (last < 1) throw new UsageError('--last must be at least 1');
  const print = linePrinter(flags.has('json'));
  const total = { runs: 0, n: 0, live: 0, replayed: 0, runsAt90: 0 };
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --bundle ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const parsed = parseBundle(text);
    if (!parsed.ok) throw new UsageError(`${file}: ${parsed.error.message}`);
    const r = replay(parsed.value, last, !flags.has('without-timings'));
    print({
      bundle: file,
      dataset: parsed.value.run.config.dataset.name,
      seed: parsed.value.run.config.seed,
      n: r.n,
      live_within10: r.liveWithin,
      replay_within10: r.replayWithin,
      same_as_live: r.sameAsLive,
    });
    total.runs++;
    total.n += r.n;
    total.live += r.liveWithin;
    total.replayed += r.replayWithin;
    if (r.replayWithin >= 0.9 * r.n) total.runsAt90++;
  }
  print({
    total: true,
    runs: total.runs,
    n: total.n,
    live_within10: total.live,
    replay_within10: total.replayed,
    replay_share: total.replayed / Math.max(1, total.n),
    runs_at_90pct: total.runsAt90,
  });
}

try {
  main();
} catch (e) {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(e instanceof UsageError ? 2 : 1);
}
