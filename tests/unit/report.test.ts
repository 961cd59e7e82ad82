import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/lib/run/config';
import { candidatesCsv } from '../../src/lib/run/csv';
import { frontToRetrain, needsRetrain, testedPicks } from '../../src/lib/run/frontTest';
import type { CandidateRecord, RunRecord } from '../../src/lib/records';
import { frontReport } from '../../src/lib/run/report';
import { reportMarkdown } from '../../src/lib/run/reportDoc';
import { parseCsv } from '../csv-reader';

function candidate(seq: number, accuracy: number, energyMj: number, params: number, latencyMs: number, extra: Partial<CandidateRecord> = {}): CandidateRecord {
  return {
    id: `r:${seq}`,
    runId: 'r',
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
      latencyMs,
      latencyP25Ms: latencyMs,
      latencyP75Ms: latencyMs,
      coldLatencyMs: 9,
      energyMj,
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

describe('the front on the test split', () => {
  const run: RunRecord = {
    id: 'r',
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
  };
  const tested = (testAccuracy: number, epochs = 2): Partial<CandidateRecord> => ({
    fullRetrain: { testAccuracy, testImages: 270, trainImages: 1257, epochs, backend: 'wasm', trainMs: 900, at: 1 },
  });
  const candidates = [
    candidate(0, 0.9, 40, 30_000, 3),
    candidate(1, 0.95, 90, 60_000, 6),
    candidate(2, 0.8, 10, 5_000, 1),
    candidate(3, 0.85, 50, 40_000, 4), // dominated by 0 on (error, params)
    candidate(4, 0.99, 1, 1, 1, { status: 'failed' }),
  ];

  it('retrains the finished front, most accurate first, and any pick that is off it', () => {
    expect(frontToRetrain(run, candidates).map((c) => c.seq)).toEqual([1, 0, 2]);
    expect(frontToRetrain(run, candidates, [candidates[3]!]).map((c) => c.seq)).toEqual([1, 0, 3, 2]);
    expect(needsRetrain(candidate(5, 0.9, 1, 1, 1, tested(0.9, 2)), 2)).toBe(false);
    expect(needsRetrain(candidate(5, 0.9, 1, 1, 1, tested(0.9, 2)), 5)).toBe(true);
  });

  it('picks on test accuracy: the most accurate, and the cheapest within the tolerance of it', () => {
    expect(testedPicks(candidates, 1, 'params')).toBeNull();
    const scored = [
      candidate(0, 0.9, 40, 30_000, 3, tested(0.884)),
      candidate(1, 0.95, 90, 60_000, 6, tested(0.889)),
      candidate(2, 0.8, 10, 5_000, 1, tested(0.87)),
    ];
    const picks = testedPicks(scored, 1, 'params')!;
    // by validation #1 leads; on the test split too, and #0 is within 0.5 points at half the parameters
    expect([picks.best.seq, picks.cheapest.seq, picks.costRatio]).toEqual([1, 0, 2]);
    expect(testedPicks(scored, 2, 'energyMj')!.cheapest.seq).toBe(2);
    const md = reportMarkdown(run, frontReport(scored, 1)!);
    expect(md).toContain('| most accurate | #1 | 95.0% | 88.9% |');
    expect(md).toContain('all 1,257 training images (2 epoch(s)), then scored once on 270 test images');
    expect(reportMarkdown(run, frontReport(candidates, 1)!)).toContain('| #1 | 95.0% | not retrained |');
    const [header, ...rows] = parseCsv(candidatesCsv(run, scored));
    expect(rows.map((r) => r[header!.indexOf('test_accuracy')])).toEqual(['0.884', '0.889', '0.87']);
  });
});
