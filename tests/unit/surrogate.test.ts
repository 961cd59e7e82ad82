import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { expectedHvBatch, greedyHvBatch } from '../../src/lib/search/acquisition';
import { fitEnsemble, predictEnsemble } from '../../src/lib/search/ensemble';
import { fitMlp, predictMlp } from '../../src/lib/search/mlp';
import { formatCell, nb201Space, parseCell } from '../../src/lib/search/spaces/nb201';

const options = { hidden: [16, 16], epochs: 300, learningRate: 0.01, weightDecay: 0 };

describe('MLP surrogate', () => {
  it('learns an interaction no linear model of the inputs can', () => {
    // y = x0 XOR x1 on binary inputs, plus an irrelevant input
    const X = Array.from({ length: 40 }, (_, i) => [i & 1, (i >> 1) & 1, (i >> 2) & 1]);
    const y = X.map(([a, b]) => (a! ^ b! ? 1 : 0));
    const m = fitMlp(X, y, Rng.fromSeed(3), { ...options, epochs: 600 });
    const p = predictMlp(m, X);
    expect(Math.max(...p.map((v, i) => Math.abs(v - y[i]!)))).toBeLessThan(0.1);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const X = [
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ];
    const y = [1, 2, 3, 0];
    const a = predictMlp(fitMlp(X, y, Rng.fromSeed(1), options), [[0.5, 0.5]]);
    expect(predictMlp(fitMlp(X, y, Rng.fromSeed(1), options), [[0.5, 0.5]])).toEqual(a);
    expect(predictMlp(fitMlp(X, y, Rng.fromSeed(2), { ...options, epochs: 5 }), [[0.5, 0.5]])).not.toEqual(a);
  });

  it('ensemble: predicts in the target units and is less sure far from its data', () => {
    const X = Array.from({ length: 30 }, (_, i) => [i / 30]);
    const y = X.map(([x]) => 100 + 50 * x!);
    const e = fitEnsemble(X, y, Rng.fromSeed(5), 5, options);
    const [near, far] = predictEnsemble(e, [[0.5], [6]]);
    expect(near!.mean).toBeCloseTo(125, -0.5);
    expect(far!.sd).toBeGreaterThan(3 * near!.sd);
  });
});

describe('expected hypervolume batch', () => {
  const front = [
    [0.2, 0.8],
    [0.8, 0.2],
  ];
  it('with certain candidates, picks the largest gap first and never a dominated one', () => {
    // (0.5, 0.5) fills the middle gap; (0.1, 0.95) extends the front; (0.9, 0.9) is dominated by (0.8, 0.2)
    expect(
      greedyHvBatch(
        front,
        [
          [0.9, 0.9],
          [0.1, 0.95],
          [0.5, 0.5],
        ],
        3,
      ),
    ).toEqual([2, 1]);
  });

  it('prefers the uncertain candidate whose good outcomes add volume over a sure candidate that adds none', () => {
    const sure = { believed: [0.85, 0.85], outcomes: [[0.85, 0.85]] };
    // half of the time it lands in the gap at (0.3, 0.3), half of the time it is dominated
    const risky = {
      believed: [0.9, 0.5],
      outcomes: [
        [0.3, 0.5],
        [0.95, 0.5],
      ],
    };
    expect(expectedHvBatch(front, [sure, risky], 2)).toEqual([1]);
  });

  it('spreads a batch: once a candidate is believed in, its twin adds nothing', () => {
    const gap = { believed: [0.5, 0.5], outcomes: [[0.5, 0.5]] };
    const other = { believed: [0.15, 0.9], outcomes: [[0.15, 0.85]] };
    expect(expectedHvBatch(front, [gap, gap, other], 2)).toEqual([0, 2]);
  });
});

describe('NAS-Bench-201 neighbours', () => {
  it('lists the 24 cells one edit away, all different', () => {
    const cell = parseCell('|none~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|none~1|nor_conv_1x1~2|')!;
    const near = nb201Space.neighbours!(cell);
    expect(new Set(near.map(formatCell)).size).toBe(24);
    for (const n of near) expect(n.filter((op, i) => op !== cell[i])).toHaveLength(1);
  });
});
