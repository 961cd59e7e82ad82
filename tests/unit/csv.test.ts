import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/lib/run/config';
import { candidatesCsv } from '../../src/lib/run/csv';
import type { CandidateRecord, RunRecord } from '../../src/lib/records';
import { parseCsv } from '../csv-reader';

const run: RunRecord = {
  id: 'r',
  createdAt: 0,
  updatedAt: 0,
  config: { ...defaultConfig(), objectives: ['error', 'latency'] },
  status: 'done',
  limits: null,
  backend: null,
  device: null,
  costProfileId: null,
  userAgent: '',
  message: null,
};

function candidate(seq: number, accuracy: number, latencyMs: number): CandidateRecord {
  return {
    id: `r:${seq}`,
    runId: 'r',
    seq,
    generation: 0,
    status: 'done',
    key: String(seq),
    genome: {
      blocks: [{ layers: [{ kind: 'conv', filters: 8, kernel: 3, stride: 1, activation: 'relu' }], skip: false }],
      head: 'gap',
      training: { learningRate: 0.001, batchSize: 32, optimizer: 'adam', epochs: 1 },
    },
    metrics: {
      accuracy,
      valLoss: 0.5,
      params: 100,
      flops: 1000,
      latencyMs,
      latencyP25Ms: latencyMs,
      latencyP75Ms: latencyMs,
      coldLatencyMs: 9,
      energyMj: latencyMs * 15,
      predictedLatencyMs: null,
      latencyErrorPct: null,
    },
    energy: null,
    history: [],
    timings: { trainMs: 1, measureMs: 1, totalMs: 2 },
    backend: 'cpu',
    leakedTensors: 0,
    failure: null,
    overBudget: null,
    finishedAt: 0,
    attempts: 1,
    writer: 'tab',
  };
}

describe('candidates.csv', () => {
  it('marks exactly the non-dominated candidates and round-trips the genome JSON', () => {
    const candidates = [candidate(0, 0.9, 2), candidate(1, 0.8, 1), candidate(2, 0.7, 3), candidate(3, 0.95, 5)];
    const [header, ...rows] = parseCsv(candidatesCsv(run, candidates));
    expect(header!.slice(0, 10)).toEqual(['id', 'generation', 'status', 'accuracy', 'params', 'flops', 'latency_ms', 'energy_mj', 'on_front', 'genome']);
    expect(rows.map((r) => r[8])).toEqual(['1', '1', '0', '1']);
    expect(JSON.parse(rows[0]![9]!)).toEqual(candidates[0]!.genome);
  });
});
