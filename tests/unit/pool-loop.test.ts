import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { runSearch } from '../../src/lib/run/loop';
import type { RunConfig } from '../../src/lib/records';
import { generational, steadyState } from '../../src/lib/run/schedule';
import { analyticEvaluator, config, deps, memoryStore, newRun } from './loopHarness';

/** A pool of `workers` whose candidates take seeded random times: each seed is a different order of arrival. */
const pooled = (workers: number, timing: number, extra: Parameters<typeof analyticEvaluator>[0] = {}) => {
  const rng = Rng.fromSeed(timing);
  const times = Array.from({ length: 200 }, () => Math.floor(rng.next() * 12));
  return analyticEvaluator({ workers, delayMs: (call) => times[call % times.length]!, ...extra });
};

async function keysOf(c: RunConfig, workers: number, timing: number): Promise<string[]> {
  const store = memoryStore();
  expect(await runSearch(await newRun(store, c), deps(store, pooled(workers, timing)))).toBe('done');
  return (await store.candidatesOf('run-test')).map((r) => r.key);
}

describe('a pool of training workers under the run loop', () => {
  const c: RunConfig = { ...config, evaluations: 20 };

  it.each(['nsga2', 'aging', 'ours', 'ga', 'random'] as const)(
    '%s: keeps two candidates in flight, trains each once, and decides the same whatever order results arrive in',
    async (algorithm) => {
      const run = { ...c, algorithm, populationSize: 4 };
      const store = memoryStore();
      const evaluator = pooled(2, 1);
      expect(await runSearch(await newRun(store, run), deps(store, evaluator))).toBe('done');
      const all = await store.candidatesOf('run-test');
      expect(all.map((r) => r.seq)).toEqual([...Array(20).keys()]);
      expect(new Set(all.map((r) => r.key)).size).toBe(20);
      expect(evaluator.maxInFlight).toBe(2);
      expect((await store.getRun('run-test'))?.workers).toBe(2);
      // another order of arrival, the same decisions
      expect(await keysOf(run, 2, 2)).toEqual(all.map((r) => r.key));
      expect(await keysOf(run, 2, 3)).toEqual(all.map((r) => r.key));
    },
  );

  it('tells results in sequence order and stores that order in the snapshot', async () => {
    const store = memoryStore();
    await runSearch(await newRun(store, c), deps(store, pooled(2, 4)));
    const snap = (await store.getSnapshot('run-test'))!;
    expect(snap.told).toEqual([...Array(20).keys()]);
    expect(snap.pending).toEqual([]);
    expect(snap.state.seen).toHaveLength(20);
  });

  it('with one worker, runs generation by generation exactly as before pools existed', async () => {
    const store = memoryStore();
    const evaluator = analyticEvaluator();
    await runSearch(await newRun(store, c), deps(store, evaluator));
    const all = await store.candidatesOf('run-test');
    expect(evaluator.maxInFlight).toBe(1);
    expect(all.map((r) => r.generation)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
    // a pool of one behaves as no pool
    expect(await keysOf(c, 1, 5)).toEqual(all.map((r) => r.key));
  });

  it('resumes after pauses with two in flight and takes the decisions of an uninterrupted run', async () => {
    const expected = await keysOf(c, 2, 6);
    const store = memoryStore();
    const id = await newRun(store, c);
    for (const after of [5, 4, 3]) {
      const first = pooled(2, after, { interruptAfter: after });
      expect(
        await runSearch(
          id,
          deps(store, first, [], () => (first.interrupted ? 'paused' : null)),
        ),
      ).toBe('paused');
      expect(store.leases.size).toBe(0);
    }
    expect(await runSearch(id, deps(store, pooled(2, 9)))).toBe('done');
    const all = await store.candidatesOf(id);
    expect(all.map((r) => r.key)).toEqual(expected);
    expect(all.every((r) => r.attempts === 1)).toBe(true);
    expect((await store.getRun(id))?.workers).toBe(2);
  });

  it('resumes after kills with two in flight: cut-short candidates run again, the same decisions', async () => {
    const expected = await keysOf(c, 2, 6);
    const store = memoryStore();
    const id = await newRun(store, c);
    for (const dieAt of [3, 5, 4]) {
      void runSearch(id, deps(store, pooled(2, dieAt, { dieAt })));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await runSearch(id, deps(store, pooled(2, 9)))).toBe('done');
    const all = await store.candidatesOf(id);
    expect(all.map((r) => r.key)).toEqual(expected);
    expect(all.filter((r) => r.attempts > 1).length).toBeGreaterThan(0);
    expect(store.leases.size).toBe(0);
  });

  it('stops starting candidates once the time budget is spent, lets those in flight finish, and ends done', async () => {
    const store = memoryStore();
    let now = 0;
    const evaluator = pooled(2, 1);
    const d = { ...deps(store, evaluator), now: () => now };
    const timed = evaluator.evaluate.bind(evaluator);
    evaluator.evaluate = async (request, progress) => {
      now += 20_000; // each candidate takes 20 s of the clock
      return timed(request, progress);
    };
    expect(await runSearch(await newRun(store, { ...c, maxMinutes: 1 }), d)).toBe('done');
    const all = await store.candidatesOf('run-test');
    // starts at 0, 20, 40 s... nothing starts at or after 60 s; the two in flight then finish
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.length).toBeLessThan(8);
    // the clock reads 20 s per candidate: the last start before 60 s, then the two in flight finish
    const active = (await store.getRun('run-test'))!.activeMs!;
    expect(active).toBeGreaterThanOrEqual(60_000);
    expect(active).toBeLessThanOrEqual(60_000 + 2 * 20_000);
  });
});

describe('schedules', () => {
  const snapshot = (told: number, pending: number[]) => ({
    runId: 'r',
    step: 0,
    rng: [1, 2, 3, 4] as [number, number, number, number],
    savedAt: 0,
    told: [...Array(told).keys()],
    state: { algorithm: 'nsga2' as const, generation: 0, population: [], seen: Array.from({ length: told }, (_, i) => `k${i}`) },
    pending: pending.map((seq) => ({
      seq,
      generation: 0,
      genome: { blocks: [], head: 'gap' as const, training: { learningRate: 1e-3, batchSize: 32 as const, optimizer: 'adam' as const, epochs: 1 } },
      key: `k${seq}`,
    })),
  });
  const view = (told: number, pending: number[], finished: number[], evaluations = 20) => ({
    snapshot: snapshot(told, pending),
    finished: (s: number) => finished.includes(s),
    evaluations,
    populationSize: 4,
  });

  it('steady state: asks at once while the window allows, tells the oldest first, waits behind an unfinished one', () => {
    const s = steadyState(4);
    expect(s.next(view(0, [0, 1, 2, 3, 4], [1, 2, 3, 4]))).toEqual({ kind: 'wait' });
    expect(s.next(view(0, [0, 1, 2, 3], [1, 2, 3]))).toEqual({ kind: 'ask', count: 1, generation: 1 });
    expect(s.next(view(0, [0, 1, 2], [1, 2]))).toEqual({ kind: 'ask', count: 1, generation: 0 });
    expect(s.next(view(0, [0, 1, 2, 3, 4], [0, 1]))).toEqual({ kind: 'tell', seqs: [0] });
    expect(s.next(view(1, [1, 2, 3, 4], [1]))).toEqual({ kind: 'ask', count: 1, generation: 1 });
    expect(s.next(view(18, [18, 19], [19]))).toEqual({ kind: 'wait' });
    expect(s.next(view(18, [18, 19], [18, 19]))).toEqual({ kind: 'tell', seqs: [18] });
    expect(s.next(view(20, [], []))).toEqual({ kind: 'end' });
    expect(s.knownWhenAsked(9, [0, 1, 2, 3, 4, 5, 6, 7, 8])).toEqual([0, 1, 2, 3, 4]);
  });

  it('generational: a whole generation is told at once, then the next is asked', () => {
    const g = generational();
    expect(g.next(view(0, [0, 1, 2, 3], [0, 1, 2]))).toEqual({ kind: 'wait' });
    expect(g.next(view(0, [0, 1, 2, 3], [0, 1, 2, 3]))).toEqual({ kind: 'tell', seqs: [0, 1, 2, 3] });
    expect(g.next(view(4, [], []))).toEqual({ kind: 'ask', count: 16, generation: 0 });
    expect(g.next(view(20, [], []))).toEqual({ kind: 'end' });
  });
});
