import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseBundle } from '../../src/lib/bundle/bundle';
import { searchPredictor, searchSamplesOf } from '../../src/lib/run/latencyModel';
import { refinedModel, MIN_SAMPLES } from '../../src/lib/costmodel/online';
import { predictNetworkMs } from '../../src/lib/costmodel/model';
import { lowerGenome } from '../../src/lib/genome/graph';
import { sampleGenome } from '../../src/lib/genome/sample';
import { Rng } from '../../src/lib/core/rng';
import { config } from './loopHarness';
import { limitsFor } from '../../src/lib/run/config';

const limits = limitsFor(config, { height: 28, width: 28, channels: 1, classes: 10 });

it('needs a few measured networks without a calibration, then predicts networks it never saw from their shapes', () => {
  const rng = Rng.fromSeed(3);
  const nets = Array.from({ length: 60 }, () => lowerGenome(sampleGenome(limits, rng), limits));
  // a device where a network costs a fixed overhead, a little per op and its FLOPs
  const device = (n: (typeof nets)[number]) => 0.05 + 0.004 * n.nodes.length + n.flops / 2e8;
  const measured = nets.slice(0, 40).map((n) => ({ nodes: n.nodes, measuredMs: device(n) }));
  expect(refinedModel(null, measured.slice(0, MIN_SAMPLES - 1))).toBeNull();
  const model = refinedModel(null, measured)!;
  const errors = nets.slice(40).map((n) => Math.abs(predictNetworkMs(model, n.nodes) / device(n) - 1));
  expect(errors.filter((e) => e <= 0.1).length / errors.length).toBeGreaterThanOrEqual(0.9);
});

it('prices a kind seen at one size alone by how the others scale: a real search on WASM, replayed', () => {
  // Fashion-MNIST seed 2 (npm run search, 2026-12-04): candidate 38's ReLU6 ran on 1,568 elements where every
  // earlier one ran on 12,544; its Minimum was priced as a fixed 0.04 ms and the network 46% too slow
  const parsed = parseBundle(readFileSync(new URL('../fixtures/searches/fashion-seed2.bundle.json', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { run, candidates } = parsed.value;
  const done = candidates.filter((c) => c.status === 'done').sort((a, b) => a.seq - b.seq);
  const predictFrom = searchPredictor(null, run.limits!, run.config.power, run.createdAt);
  const error = (seq: number) => {
    const c = done.find((d) => d.seq === seq)!;
    return predictFrom(done.filter((d) => d.seq < seq))!(c.genome).latencyMs / c.metrics.latencyMs - 1;
  };
  expect(Math.abs(error(38))).toBeLessThan(0.15);
  const last20 = done.slice(-20).map((c) => Math.abs(error(c.seq)));
  expect(last20.filter((e) => e <= 0.1).length).toBeGreaterThanOrEqual(19);
});

it('reads every known candidate at the latest usual speed: a real search whose two workers each had their own', () => {
  // Fashion-MNIST seed 8 (npm run search, 2026-12-08, before the pool shared its speed readings): for half the run
  // one worker took latencies to a usual reference time of 0.085 ms and the other to 0.065 ms, so one network read
  // 30% apart in the two, and 5 of the last 20 predictions were within ±10%
  const parsed = parseBundle(readFileSync(new URL('../fixtures/searches/fashion-seed8-two-usuals.bundle.json', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const { run, candidates } = parsed.value;
  const done = candidates.filter((c) => c.status === 'done').sort((a, b) => a.seq - b.seq);
  const usuals = done.map((c) => c.metrics.latencyMs / c.metrics.latencyRelative!);
  expect(Math.max(...usuals) / Math.min(...usuals)).toBeGreaterThan(1.25);
  const predictFrom = searchPredictor(null, run.limits!, run.config.power, run.createdAt);
  // as the live run knew them: two workers, results from 4 places back
  const within = done.slice(-20).filter((c) => {
    const p = predictFrom(done.filter((d) => d.seq < c.seq - 4))!(c.genome).latencyMs;
    return Math.abs(p / c.metrics.latencyMs - 1) <= 0.1;
  });
  expect(within.length).toBeGreaterThanOrEqual(13);
  // kept for the searches after it at the run's latest usual speed too
  const kept = searchSamplesOf(run.id, run.limits!, done, run.createdAt + 1);
  const latest = done.reduce((a, b) => (b.finishedAt > a.finishedAt ? b : a));
  kept.forEach((s, i) => expect(s.measuredMs / done[i]!.metrics.latencyRelative!).toBeCloseTo(latest.metrics.latencyMs / latest.metrics.latencyRelative!, 9));
});
