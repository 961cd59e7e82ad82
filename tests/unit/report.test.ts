import { describe, expect, it } from 'vitest';
import type { CandidateRecord } from '../../src/lib/run/records';
import { frontReport } from '../../src/lib/run/report';

function candidate(seq: number, accuracy: number, energyMj: number, params: number, latencyMs: number, extra: Partial<CandidateRecord> = {}): CandidateRecord {
  return {
    id: `r:${seq}`, runId: 'r', seq, generation: 0, status: 'done', key: String(seq), attempts: 1, writer: 't',
    genome: { blocks: [], head: 'gap', training: { learningRate: 0.001, batchSize: 32, optimizer: 'adam', epochs: 1 } },
    metrics: { accuracy, valLoss: 0.5, params, flops: 1000, latencyMs, latencyP25Ms: latencyMs, latencyP75Ms: latencyMs, coldLatencyMs: 9, energyMj, predictedLatencyMs: null, latencyErrorPct: null },
    energy: null, history: [], timings: { trainMs: 1, measureMs: 1, totalMs: 2 }, backend: 'wasm', leakedTensors: 0, failure: null, overBudget: null, finishedAt: 0,
    ...extra,
  };
}

describe('the almost-as-accurate report', () => {
  const run = [
    candidate(0, 0.912, 46, 31_000, 3.8),
    candidate(1, 0.906, 20, 10_000, 2.0), // -0.6 points, 2.3x less energy, 3.1x smaller, 1.9x faster
    candidate(2, 0.95, 100, 50_000, 5.0, { overBudget: 'over the latency budget' }), // never counts
    candidate(3, 0.899, 5, 2_000, 0.5), // 1.3 points below: outside a 1-point tolerance
    candidate(4, 0.99, 1, 1, 1, { status: 'failed' }),
  ];

  it('finds the cheapest candidate within the tolerance and its ratios to the most accurate', () => {
    const r = frontReport(run, 1)!;
    expect(r.best.seq).toBe(0);
    expect(r.chosen.seq).toBe(1);
    expect(r.accuracyDeltaPoints).toBeCloseTo(-0.6);
    expect(r.summary).toBe('-0.6 points, 2.3x less energy, 3.1x smaller, 1.9x faster');
  });

  it('widens with the tolerance and is the best itself at zero tolerance', () => {
    expect(frontReport(run, 1.5)!.chosen.seq).toBe(3);
    const r = frontReport(run, 0)!;
    expect(r.chosen.seq).toBe(0);
    expect(r.summary).toBe('±0.0 points, same energy, same size, same speed');
  });

  it('is null before anything has finished', () => {
    expect(frontReport([run[4]!], 1)).toBeNull();
  });
});
