import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { candidateId } from '../../src/lib/core/ids';
import { Rng } from '../../src/lib/core/rng';
import type { CandidateRecord, RunRecord, SnapshotRecord } from '../../src/lib/records';

const TEMPLATE = resolve(fileURLToPath(new URL('../../tests/fixtures/good.evonas.json', import.meta.url)));

export type BigRunKind = 'identical' | 'distinct';

/**
 * A valid run bundle of `n` finished candidates, built from the committed fixture: `identical` repeats one
 * candidate's figures (no point dominates another), `distinct` draws accuracy, latency, energy and size from a
 * seeded RNG (a front of dozens). The run id is fixed per kind and size, so importing it twice is refused. With
 * `resumeFor`, the run is paused with that many evaluations left.
 */
export function bigRunBundle(n: number, kind: BigRunKind, seed = 1, resumeFor = 0): string {
  const template = JSON.parse(readFileSync(TEMPLATE, 'utf8')) as { run: RunRecord; candidates: CandidateRecord[] };
  const runId = `run-${(0x7fffffff - n).toString(36)}-${kind === 'identical' ? 'same' : 'dist'}`;
  const model = template.candidates[0]!;
  const rng = Rng.fromSeed(seed);
  const candidates = Array.from({ length: n }, (_, seq): CandidateRecord => {
    const metrics =
      kind === 'identical'
        ? model.metrics
        : {
            ...model.metrics,
            accuracy: 0.5 + 0.5 * rng.next(),
            latencyMs: 0.05 + rng.next(),
            energyMj: 0.5 + 20 * rng.next(),
            params: 1000 + Math.floor(90_000 * rng.next()),
          };
    return { ...model, id: candidateId(runId, seq), runId, seq, generation: Math.floor(seq / 6), metrics, finishedAt: 3 + seq };
  });
  const config = template.run.config;
  if (resumeFor === 0)
    return JSON.stringify({
      ...template,
      run: { ...template.run, id: runId, status: 'done', config: { ...config, evaluations: n } },
      snapshot: null,
      candidates,
    });
  // paused with `resumeFor` evaluations left: a random search on WASM with small budgets, to watch the page update
  const run: RunRecord = {
    ...template.run,
    id: runId,
    status: 'paused',
    config: {
      ...config,
      algorithm: 'random',
      backend: 'wasm',
      evaluations: n + resumeFor,
      latencyRuns: 5,
      budget: { ...config.budget, maxEpochs: 1, maxTrainImages: 200, maxValidationImages: 60 },
    },
  };
  const snapshot: SnapshotRecord = {
    runId,
    step: 1,
    state: { algorithm: 'random', generation: 1, population: [], seen: candidates.map((c) => c.key) },
    rng: Rng.fromSeed(seed).state(),
    pending: [],
    told: candidates.map((c) => c.seq),
    savedAt: 4,
  };
  return JSON.stringify({ ...template, run, snapshot, candidates });
}
