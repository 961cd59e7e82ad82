/** The run loop against an in-memory store and an analytic evaluator: shared by the loop's tests. */
import { lowerGenome } from '../../src/lib/genome/graph';
import type { CandidateEvaluation } from '../../src/lib/records';
import { defaultConfig } from '../../src/lib/run/config';
import type { RunEvent } from '../../src/lib/run/events';
import { Interrupted, type Evaluator } from '../../src/lib/run/evaluator';
import { runSearch } from '../../src/lib/run/loop';
import type { AttemptRecord, CandidateRecord, RunConfig, RunRecord, SnapshotRecord } from '../../src/lib/records';
import { candidateId } from '../../src/lib/core/ids';
import type { RunStore } from '../../src/lib/run/store';
import { COST_KINDS } from '../../src/lib/costmodel/features';
import type { CostModel } from '../../src/lib/costmodel/model';
import { deviceKey, type DeviceManifest } from '../../src/lib/measure/manifest';
import { withSearchSamples, type CostProfile } from '../../src/lib/measure/profile';
import type { LayerWeights } from '../../src/lib/genome/inherit';

/** The run loop against an in-memory store; the evaluator scores genomes analytically (no tfjs). */
export function memoryStore(
  profile?: CostProfile,
): RunStore & { candidates: Map<string, CandidateRecord>; leases: Map<string, AttemptRecord>; writes: number } {
  const runs = new Map<string, RunRecord>();
  const snapshots = new Map<string, SnapshotRecord>();
  const candidates = new Map<string, CandidateRecord>();
  const leases = new Map<string, AttemptRecord>();
  const weights = new Map<string, readonly LayerWeights[]>();
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    candidates,
    leases,
    writes: 0,
    getRun: async (id) => clone(runs.get(id)),
    putRun: async (r) => void runs.set(r.id, clone(r)),
    getSnapshot: async (id) => clone(snapshots.get(id)),
    putSnapshot: async (s) => void snapshots.set(s.runId, clone(s)),
    candidatesOf: async (id) => [...candidates.values()].filter((c) => c.runId === id).sort((a, b) => a.seq - b.seq),
    getProfile: async (id) => (profile?.id === id ? profile : undefined),
    async keepSearchSamples(id, samples) {
      if (profile?.id === id) profile = withSearchSamples(profile, samples);
    },
    async beginAttempt(runId, seq, writer, now) {
      const id = candidateId(runId, seq);
      const lease = { id, runId, seq, attempts: (leases.get(id)?.attempts ?? 0) + 1, writer, startedAt: now };
      leases.set(id, lease);
      return clone(lease);
    },
    releaseAttempt: async (runId, seq) => void leases.delete(candidateId(runId, seq)),
    async finishCandidate(c, w) {
      this.writes++;
      candidates.set(c.id, clone(c));
      if (w) weights.set(c.id, clone(w));
      leases.delete(c.id);
    },
    weightsOf: async (id) => clone(weights.get(id)),
  };
}

export const MANIFEST: DeviceManifest = {
  userAgent: 'test',
  hardwareConcurrency: 2,
  backend: 'cpu',
  adapter: null,
  gpuLimits: null,
  timerResolutionMs: 0.005,
  crossOriginIsolated: true,
  capturedAt: 0,
};

/** A calibration whose model predicts 1 ms per 100k FLOPs in convolutions, like the analytic evaluator measures. */
export function flopProfile(): CostProfile {
  const zero = { intercept: 0, mflops: 0, inMb: 0, outMb: 0, weightMb: 0, mTranscendental: 0, mUnfusedPass: 0, mDepthwiseMacs: 0 };
  const kinds = Object.fromEntries(COST_KINDS.map((k) => [k, { terms: { ...zero, mflops: 10 }, samples: 1, medianAbsPctErr: 0 }])) as CostModel['kinds'];
  return {
    id: deviceKey(MANIFEST),
    manifest: MANIFEST,
    createdAt: 0,
    grid: 'quick',
    input: { height: 8, width: 8, channels: 1 },
    model: { kinds, network: { overheadMs: 0, perOpMs: 0, scale: { conv: 1, sepconv: 1, pool: 1, elementwise: 1, head: 1 } } },
    accuracy: { nFit: 0, nHeldOut: 0, within10Share: 1, medianAbsPctErr: 0, latencyCv: 0, pairs: [] },
    opSamples: [],
    networkSamples: [],
    durationMs: 0,
  };
}

/** Accuracy from the genome's size, so the search has something to optimise; fails genomes with a 7x7 kernel. */
export interface AnalyticOptions {
  readonly interruptAfter?: number;
  readonly failKernel7?: boolean;
  readonly dieAt?: number;
  /** The pool size it reports (a resumed run's size wins, as in the app). */
  readonly workers?: number;
  /** Milliseconds the n-th call takes (timers): results then arrive out of order, as from a pool. */
  readonly delayMs?: (call: number) => number;
}

export function analyticEvaluator(opts: AnalyticOptions = {}): Evaluator & { calls: number; interrupted: boolean; inFlight: number; maxInFlight: number } {
  return {
    calls: 0,
    interrupted: false,
    inFlight: 0,
    maxInFlight: 0,
    async prepare(_config, workers) {
      return {
        ...(opts.workers ? { workers: workers ?? opts.workers } : {}),
        backend: { name: 'cpu', requested: 'cpu', skipped: [], adapter: null },
        training: { backend: 'cpu', probe: null },
        manifest: MANIFEST,
        dataset: {
          name: 'digits',
          height: 8,
          width: 8,
          channels: 1,
          classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
          trainImages: 100,
          validationImages: 20,
          testImages: 20,
        },
      };
    },
    async evaluate(request, progress) {
      if (opts.interruptAfter !== undefined && this.calls >= opts.interruptAfter) {
        this.interrupted = true; // as when the user presses Pause mid-candidate
        throw new Interrupted();
      }
      this.calls++;
      // The tab dies mid-candidate: the evaluation never returns and nothing after it runs.
      if (opts.dieAt !== undefined && this.calls > opts.dieAt) return new Promise<never>(() => {});
      this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
      try {
        if (opts.delayMs) await new Promise((resolve) => setTimeout(resolve, opts.delayMs!(this.calls)));
        if (opts.interruptAfter !== undefined && this.interrupted) throw new Interrupted(); // Pause cancels every worker
      } finally {
        this.inFlight--;
      }
      if (opts.failKernel7 && JSON.stringify(request.genome).includes('"kernel":7'))
        return { ok: false, failure: { code: 'training-error', message: 'out of memory' } };
      const { params, flops } = lowerGenome(request.genome, request.limits);
      const accuracy = 1 - 1 / (1 + Math.log10(params));
      progress.onEpoch({ epoch: 1, loss: 1, accuracy, valLoss: 1, valAccuracy: accuracy, ms: 1 });
      const latencyMs = flops / 1e5;
      const evaluation: CandidateEvaluation = {
        history: [],
        accuracy,
        valLoss: 1,
        params,
        flops,
        trainMs: 1,
        measureMs: 1,
        leakedTensors: 0,
        inheritedLayers: 0,
        latency: { coldMs: latencyMs * 10, medianMs: latencyMs, p25Ms: latencyMs, p75Ms: latencyMs, cv: 0, runs: 30, warmupRuns: 3, batchSize: 1 },
      };
      return { ok: true, evaluation };
    },
  };
}

export async function newRun(store: RunStore, config: RunConfig, id = 'run-test'): Promise<string> {
  await store.putRun({
    id,
    createdAt: 0,
    updatedAt: 0,
    config,
    status: 'running',
    limits: null,
    backend: null,
    device: null,
    costProfileId: null,
    userAgent: 'test',
    message: null,
  });
  return id;
}

// NSGA-II, not the default: these tests pin its generation-by-generation order and its figures
export const config: RunConfig = { ...defaultConfig('digits'), algorithm: 'nsga2', evaluations: 14, populationSize: 4, seed: 3 };
let clock = 0;
export const deps = (store: RunStore, evaluator: Evaluator, events: RunEvent[] = [], interruption: () => 'paused' | 'stopped' | null = () => null) => ({
  store,
  evaluator,
  interruption,
  emit: (e: RunEvent) => void events.push(e),
  now: () => ++clock,
  writer: 'tab-a',
});

/** Starts a run loop that will be "killed": it is left hanging forever once the evaluator dies. */
export async function runUntilKilled(store: RunStore, id: string, dieAt: number): Promise<void> {
  void runSearch(id, deps(store, analyticEvaluator({ dieAt })));
  await new Promise((resolve) => setTimeout(resolve, 20));
}
