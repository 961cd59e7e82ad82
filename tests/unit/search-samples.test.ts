import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import type { KernelModel } from '../../src/lib/costmodel/kernelModel';
import { KERNEL_KINDS } from '../../src/lib/costmodel/runtimeKernels';
import { sampleGenome } from '../../src/lib/genome/sample';
import { MAX_SEARCH_SAMPLES, withSearchSamples, type CostProfile, type SearchSample } from '../../src/lib/measure/profile';
import { searchPredictor } from '../../src/lib/run/latencyModel';
import { runSearch } from '../../src/lib/run/loop';
import { lowerGenome } from '../../src/lib/genome/graph';
import { predictNetworkMs } from '../../src/lib/costmodel/model';
import { assumedPower } from '../../src/lib/energy/energy';
import { analyticEvaluator, config, deps, flopProfile, memoryStore, newRun } from './loopHarness';

/** A calibration whose kernel model charges `msPerMMac` for every multiply-add, and nothing else. */
function kernelProfile(msPerMMac: number): CostProfile {
  const p = flopProfile();
  const terms = Object.fromEntries(KERNEL_KINDS.map((k) => [k, { count: 0, mMacs: msPerMMac, mIn: 0, mOut: 0, mLoops: 0 }])) as KernelModel['terms'];
  return { ...p, model: { ...p.model, kernels: { version: 1, terms, constantMs: 0 } } };
}

describe("earlier searches' candidates in a device's profile", () => {
  it('a finished run keeps its measured candidates with the profile it predicted from', async () => {
    const store = memoryStore(kernelProfile(40));
    const id = await newRun(store, { ...config, evaluations: 8 });
    await runSearch(id, deps(store, analyticEvaluator()));
    const profile = (await store.getProfile(flopProfile().id))!;
    const done = (await store.candidatesOf(id)).filter((c) => c.status === 'done');
    expect(profile.searchSamples).toHaveLength(done.length);
    expect(new Set(profile.searchSamples!.map((s) => s.runId))).toEqual(new Set([id]));
    expect(profile.searchSamples!.map((s) => s.measuredMs).sort()).toEqual(done.map((c) => c.metrics.latencyMs).sort());
  });

  it('refine the next run from its first candidate, and never a run that began before they were kept', async () => {
    // the analytic evaluator measures flops / 1e5 ms, i.e. 20 ms per million multiply-adds; the profile says 40
    const store = memoryStore(kernelProfile(40));
    const first = await newRun(store, { ...config, evaluations: 12 }, 'run-first');
    await runSearch(first, deps(store, analyticEvaluator()));
    const profile = (await store.getProfile(flopProfile().id))!;
    const keptAt = profile.searchSamples![0]!.completedAt;
    const run = (await store.getRun(first))!;
    const power = assumedPower('laptop-integrated');
    const genome = sampleGenome(run.limits!, Rng.fromSeed(11));
    const truth = lowerGenome(genome, run.limits!).flops / 1e5;
    const later = searchPredictor(profile, run.limits!, power, keptAt + 1)([])!;
    const earlier = searchPredictor(profile, run.limits!, power, keptAt)([])!;
    expect(Math.abs(later(genome).latencyMs / truth - 1)).toBeLessThan(0.1);
    // as calibrated (about twice the truth): the samples came after that run began
    expect(earlier(genome).latencyMs).toBe(predictNetworkMs(profile.model, lowerGenome(genome, run.limits!).nodes));
    expect(earlier(genome).latencyMs / truth).toBeGreaterThan(1.8);
  });

  it("replace a run's earlier samples and keep the newest within the cap", () => {
    const sample = (runId: string, i: number): SearchSample => ({ kernels: [], measuredMs: i + 1, runId, completedAt: i });
    const p = withSearchSamples(flopProfile(), [sample('a', 0), sample('a', 1)]);
    expect(withSearchSamples(p, [sample('a', 2)]).searchSamples!.map((s) => s.measuredMs)).toEqual([3]);
    const many = withSearchSamples(
      p,
      Array.from({ length: MAX_SEARCH_SAMPLES + 5 }, (_, i) => sample('b', i)),
    );
    expect(many.searchSamples).toHaveLength(MAX_SEARCH_SAMPLES);
    expect(many.searchSamples!.at(-1)!.measuredMs).toBe(MAX_SEARCH_SAMPLES + 5);
  });
});
