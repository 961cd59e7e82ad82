import { beforeAll, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import type { SearchPort } from '../../src/lib/bridge/searchClient';
import type { ExportedModel } from '../../src/lib/model/export';
import { defaultConfig } from '../../src/lib/run/config';
import type { RunEventListener } from '../../src/lib/run/events';
import type { CandidateRecord, RunRecord } from '../../src/lib/records';
import { CandidateFiles, type FilesPort } from '../../src/lib/state/candidateFiles.svelte';
import type { OpenRun } from '../../src/lib/state/openRun';
import { SearchStore } from '../../src/lib/state/search.svelte';

// the set-up sizes its suggested pool from the page's navigator, which Node 20 lacks: a 2-core device
beforeAll(() => void vi.stubGlobal('navigator', { hardwareConcurrency: 2 }));

/** A search worker that answers only what a test gives it; any other call fails the test by name. */
function fakeClient(calls: Partial<SearchPort>): SearchPort {
  return new Proxy(calls, {
    get: (target, key: string) => target[key as keyof SearchPort] ?? (() => Promise.reject(new Error(`unexpected call ${key}`))),
  }) as SearchPort;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const runRecord = (id: string): RunRecord => ({
  id,
  createdAt: 0,
  updatedAt: 0,
  config: { ...defaultConfig(), objectives: ['error', 'params'] },
  status: 'done',
  limits: null,
  backend: null,
  device: null,
  costProfileId: null,
  userAgent: '',
  message: null,
});

function candidate(runId: string, seq: number, accuracy: number, params: number, extra: Partial<CandidateRecord> = {}): CandidateRecord {
  return {
    id: `${runId}:${seq}`,
    runId,
    seq,
    generation: 0,
    status: 'done',
    key: String(seq),
    attempts: 1,
    writer: 't',
    genome: { blocks: [], head: 'gap', training: { learningRate: 0.001, batchSize: 32, optimizer: 'adam', epochs: 1 } },
    metrics: {
      accuracy,
      valLoss: 0.5,
      params,
      flops: 1000,
      latencyMs: 1,
      latencyP25Ms: 1,
      latencyP75Ms: 1,
      coldLatencyMs: 1,
      energyMj: 1,
      predictedLatencyMs: null,
      latencyErrorPct: null,
    },
    energy: null,
    history: [],
    timings: { trainMs: 1, measureMs: 1, totalMs: 2 },
    backend: 'wasm',
    leakedTensors: 0,
    failure: null,
    overBudget: null,
    finishedAt: 0,
    ...extra,
  };
}

describe('SearchStore', () => {
  it('shows the run opened last, even when an earlier open answers after it', async () => {
    const answers = new Map([
      ['run-a', deferred<{ run: RunRecord; candidates: CandidateRecord[] }>()],
      ['run-b', deferred<{ run: RunRecord; candidates: CandidateRecord[] }>()],
    ]);
    const store = new SearchStore(fakeClient({ runDetail: (id) => answers.get(id)!.promise }));
    const first = store.open('run-a');
    const second = store.open('run-b');
    answers.get('run-b')!.resolve({ run: runRecord('run-b'), candidates: [candidate('run-b', 0, 0.9, 100)] });
    await second;
    answers.get('run-a')!.resolve({ run: runRecord('run-a'), candidates: [] });
    await first;
    expect(store.run?.id).toBe('run-b');
    expect(store.candidates.map((c) => c.id)).toEqual(['run-b:0']);
  });

  it('follows the worker: a finished candidate leaves the training list, joins the table and moves the front', async () => {
    let emit: RunEventListener = () => undefined;
    const store = new SearchStore(
      fakeClient({
        runDetail: async () => ({ run: { ...runRecord('r'), status: 'running' }, candidates: [candidate('r', 0, 0.8, 1_000)] }),
        resume: async (_id, onEvent) => void (emit = onEvent),
      }),
    );
    await store.open('r');
    await store.resume();
    expect([...store.front]).toEqual(['r:0']);
    const better = candidate('r', 1, 0.9, 500);
    emit({ kind: 'candidate-start', runId: 'r', seq: 1, generation: 0, genome: better.genome, params: 500, flops: 1000, predicted: null });
    flushSync();
    expect(store.live?.seq).toBe(1);
    emit({ kind: 'candidate-done', candidate: better });
    flushSync();
    expect(store.training).toEqual([]);
    expect(store.candidates.map((c) => c.seq)).toEqual([0, 1]);
    expect([...store.front]).toEqual(['r:1']); // more accurate and smaller: the old point is dominated
  });

  it('shows a failed action as its message and keeps going', async () => {
    const store = new SearchStore(fakeClient({}));
    await store.open('run-a').catch(() => undefined);
    await store.pause();
    expect(store.error).toBe('unexpected call pause');
  });
});

describe('CandidateFiles', () => {
  const model: ExportedModel = {
    modelJson: '{}',
    weights: new ArrayBuffer(0),
    accuracy: 0.8,
    check: { shape: [1], inputs: new Float32Array(1), outputs: new Float32Array(1) },
  };

  function openRun(candidates: CandidateRecord[]): OpenRun & { replaced: CandidateRecord[] } {
    const replaced: CandidateRecord[] = [];
    return {
      run: runRecord('r'),
      candidates,
      selected: null,
      front: new Set(candidates.map((c) => c.id)),
      replaced,
      guard: async (work) => work(),
      replaceRun: () => undefined,
      replaceCandidate: (c) => void replaced.push(c),
    };
  }

  it('retrains the front one network at a time, skipping those already tested for these epochs, and stops when asked', async () => {
    const retrained = { testAccuracy: 0.8, testImages: 10, trainImages: 100, epochs: 2, backend: 'wasm' as const, trainMs: 1, at: 0 };
    const front = [
      candidate('r', 0, 0.8, 10, { fullRetrain: retrained }),
      candidate('r', 1, 0.85, 20),
      candidate('r', 2, 0.9, 30),
      candidate('r', 3, 0.92, 40),
    ];
    const view = openRun(front);
    const asked: number[] = [];
    let files: CandidateFiles | null = null;
    const port: FilesPort = {
      exportModel: () => Promise.reject(new Error('not this')),
      retrainFull: async (_run, seq, epochs) => {
        asked.push(seq);
        if (seq === 2) files!.stopFrontRetrain(); // the one in training finishes, nothing after it starts
        return { candidate: { ...front[seq]!, fullRetrain: { ...retrained, epochs } }, model };
      },
    };
    files = new CandidateFiles(view, port);
    await files.retrainFront(front, 2);
    expect(asked).toEqual([1, 2]);
    expect(view.replaced.map((c) => c.seq)).toEqual([1, 2]);
    expect(files.frontRetrain).toBeNull();
    expect(files.retraining).toBeNull();
  });
});
