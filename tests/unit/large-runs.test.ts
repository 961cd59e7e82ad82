import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { extent } from '../../src/lib/core/stats';
import { boundsOf, FrontTrace, hypervolume, hypervolumeHistory, normalize } from '../../src/lib/search/hypervolume';
import { paretoFront } from '../../src/lib/search/pareto';
import { RunTrace } from '../../src/lib/run/runTrace';
import { frontIds } from '../../src/lib/run/analysis';
import { plotSample } from '../../src/lib/plot/sample';
import { rowWindow } from '../../src/lib/ui/rowWindow';
import type { CandidateRecord } from '../../src/lib/records';
import { readFileSync } from 'node:fs';

const template = (JSON.parse(readFileSync('tests/fixtures/good.evonas.json', 'utf8')) as { candidates: CandidateRecord[] }).candidates[0]!;
const candidate = (seq: number, accuracy: number, energyMj: number, latencyMs: number, finishedAt = seq): CandidateRecord => ({
  ...template,
  id: `r:${seq}`,
  seq,
  finishedAt,
  metrics: { ...template.metrics, accuracy, energyMj, latencyMs },
});

/** The definition the trace must agree with: the hypervolume of every prefix, in the final normalisation. */
function naiveHistory(points: readonly (readonly number[])[]): number[] {
  const bounds = boundsOf(points);
  const ref = new Array<number>(points[0]!.length).fill(1.1);
  return points.map((_, i) =>
    hypervolume(
      normalize(
        points.slice(0, i + 1).filter((p) => p.every(Number.isFinite)),
        bounds,
      ),
      ref,
    ),
  );
}

describe('runs of thousands of candidates', () => {
  it('counts equal points once on the front', () => {
    expect(paretoFront(Array.from({ length: 1000 }, () => [0.2, 15, 1]))).toEqual([0]);
    expect(
      paretoFront([
        [1, 2],
        [2, 1],
        [1, 2],
        [0, 3],
      ]),
    ).toEqual([0, 1, 3]);
  });

  it('traces the hypervolume one point at a time exactly as recomputing every prefix does', () => {
    const rng = Rng.fromSeed(3);
    const points = Array.from({ length: 120 }, (_, i) => (i === 17 ? [Infinity, Infinity, Infinity] : [rng.next(), rng.next() * 10, rng.next() ** 2]));
    const oneByOne = new FrontTrace();
    for (const p of points) oneByOne.add([p]);
    const expected = naiveHistory(points);
    oneByOne.history.forEach((hv, i) => expect(hv).toBeCloseTo(expected[i]!, 12));
    expect(hypervolumeHistory(points, boundsOf(points))).toEqual([...oneByOne.history]);
    expect([...oneByOne.front].sort((a, b) => a - b)).toEqual(paretoFront(points));
  });

  it('keeps a run trace by appending, and starts again when a record changes', () => {
    const rng = Rng.fromSeed(5);
    const all = Array.from({ length: 60 }, (_, i) => candidate(i, rng.next(), rng.next() * 20, rng.next()));
    const live = new RunTrace(['error', 'energy', 'latency']);
    for (let n = 1; n <= all.length; n++) live.update(all.slice(0, n));
    const fresh = new RunTrace(['error', 'energy', 'latency']).update(all);
    const view = live.update(all);
    expect(view.curve).toEqual(fresh.curve);
    expect([...view.front].sort()).toEqual([...fresh.front].sort());
    // the runner's and the CSV's front (no hypervolume history) is the trace's
    expect([...frontIds(all, ['error', 'energy', 'latency'])].sort()).toEqual([...fresh.front].sort());
    // a re-measured record (a new object) is traced again, not appended
    const best = all.find((c) => view.front.has(c.id))!;
    const changed = all.map((c) => (c === best ? { ...c, metrics: { ...c.metrics, accuracy: 0 } } : c));
    expect(live.update(changed).front.has(best.id)).toBe(new RunTrace(['error', 'energy', 'latency']).update(changed).front.has(best.id));
  });

  it('orders the curve by when candidates finished, and keeps the first of equal ones on the front', () => {
    const same = Array.from({ length: 500 }, (_, i) => candidate(i, 0.8, 15, 1, 1000 - i));
    const view = new RunTrace(['error', 'energy']).update(same);
    expect([...view.front]).toEqual(['r:499']);
    expect([...frontIds(same, ['error', 'energy'])]).toEqual(['r:499']);
    expect(view.curve[0]!.seq).toBe(499);
    expect(view.curve).toHaveLength(500);
  });

  it('draws at most a bounded sample, always with the whole front', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ i, front: i % 997 === 0 }));
    const drawn = plotSample(rows, (r) => r.front, 1500);
    expect(drawn).toHaveLength(1500);
    expect(drawn.filter((r) => r.front)).toHaveLength(rows.filter((r) => r.front).length);
    expect(new Set(drawn).size).toBe(1500);
    expect(plotSample(rows.slice(0, 10), (r) => r.front, 1500)).toHaveLength(10);
  });

  it('renders a window of rows, whole for a short table', () => {
    expect(rowWindow(30, 0, 500, 28)).toEqual({ start: 0, end: 30, beforePx: 0, afterPx: 0 });
    const w = rowWindow(20_000, 28 * 10_000, 560, 28);
    expect(w.end - w.start).toBe(60);
    expect(w.start).toBe(9_980);
    expect(w.beforePx + (w.end - w.start) * 28 + w.afterPx).toBe(20_000 * 28);
    expect(rowWindow(20_000, 1e9, 560, 28).end).toBe(20_000);
  });

  it('takes the extent of more values than a spread call can pass', () => {
    expect(extent(Array.from({ length: 300_000 }, (_, i) => i))).toEqual([0, 299_999]);
  });
});

describe('3-D hypervolume sweep', () => {
  /** The union of the boxes [p, ref] by inclusion-exclusion: exact, and independent of any sweep. */
  function unionVolume(points: readonly (readonly number[])[], ref: readonly number[]): number {
    let total = 0;
    for (let mask = 1; mask < 1 << points.length; mask++) {
      const chosen = points.filter((_, i) => mask & (1 << i));
      const corner = ref.map((_, k) => Math.max(...chosen.map((p) => p[k]!)));
      const volume = corner.reduce((v, c, k) => v * Math.max(0, ref[k]! - c), 1);
      total += (chosen.length % 2 === 1 ? 1 : -1) * volume;
    }
    return total;
  }

  it('matches inclusion-exclusion on random and tied points', () => {
    const rng = Rng.fromSeed(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + rng.int(0, 9);
      // coarse values make ties in x, y and z common
      const points = Array.from({ length: n }, () => [rng.int(0, 4) / 4, rng.int(0, 4) / 4, rng.int(0, 4) / 4]);
      expect(hypervolume(points, [1.1, 1.1, 1.1])).toBeCloseTo(unionVolume(points, [1.1, 1.1, 1.1]), 10);
    }
  });
});
