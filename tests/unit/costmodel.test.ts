import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { COST_KINDS, FEATURES, featureVector, opInstanceOf, type OpInstance } from '../../src/lib/costmodel/features';
import { calibrationGrid } from '../../src/lib/costmodel/grid';
import { accuracyOf, fitKind, fitNetwork, NETWORK_GROUPS, networkMs, opTimeMs, type NetworkTerms } from '../../src/lib/costmodel/model';
import { nnls } from '../../src/lib/costmodel/nnls';
import { ACTIVATIONS } from '../../src/lib/genome/types';

describe('non-negative least squares', () => {
  it('recovers known coefficients from exact data', () => {
    const truth = [0.5, 2, 0, 3];
    const rng = Rng.fromSeed(1);
    const X = Array.from({ length: 30 }, () => [1, rng.next() * 10, rng.next() * 1e5, rng.next()]);
    const y = X.map((row) => row.reduce((s, v, j) => s + v * truth[j]!, 0));
    const coef = nnls(
      X,
      y,
      y.map(() => 1),
    );
    coef.forEach((c, j) => expect(c).toBeCloseTo(truth[j]!, 6));
  });

  it('clamps at zero where the unconstrained answer is negative', () => {
    const X = [
      [1, 1],
      [1, 2],
      [1, 3],
      [1, 4],
    ];
    const y = [4, 3, 2, 1]; // unconstrained slope -1
    const [a, b] = nnls(X, y, [1, 1, 1, 1]) as [number, number];
    expect(b).toBe(0);
    expect(a).toBeCloseTo(2.5);
  });
});

describe('non-negative least squares with many columns', () => {
  it('recovers 40 coefficients, some zero, and agrees with trying every subset on a small noisy problem', () => {
    const rng = Rng.fromSeed(2);
    const truth = Array.from({ length: 40 }, (_, j) => (j % 3 === 0 ? 0 : rng.next() * 5));
    const X = Array.from({ length: 200 }, () => truth.map(() => rng.next()));
    const y = X.map((row) => row.reduce((s, v, j) => s + v * truth[j]!, 0));
    nnls(
      X,
      y,
      y.map(() => 1),
    ).forEach((c, j) => expect(c).toBeCloseTo(truth[j]!, 5));

    // a noisy 5-column problem whose unconstrained answer has negative terms: the exact optimum over all subsets
    const small = Array.from({ length: 25 }, () => [1, rng.next(), rng.next(), rng.next(), rng.next()]);
    const ys = small.map((r) => 1 + 2 * r[1]! - 1.5 * r[2]! + 0.2 * r[3]! + rng.next() * 0.3);
    const ws = ys.map(() => 1);
    const sse = (c: readonly number[]) => small.reduce((s, r, i) => s + (r.reduce((p, v, j) => p + v * c[j]!, 0) - ys[i]!) ** 2, 0);
    let best = Infinity;
    for (let mask = 0; mask < 32; mask++) {
      const cols = [0, 1, 2, 3, 4].filter((j) => mask & (1 << j));
      if (cols.length === 0) continue;
      const sub = nnls(
        small.map((r) => cols.map((j) => r[j]!)),
        ys,
        ws,
      );
      const full = [0, 0, 0, 0, 0];
      cols.forEach((j, i) => (full[j] = sub[i]!));
      best = Math.min(best, sse(full));
    }
    const coef = nnls(small, ys, ws);
    expect(coef.every((c) => c >= 0)).toBe(true);
    expect(coef[2]).toBe(0);
    expect(sse(coef)).toBeCloseTo(best, 9);
  });
});

describe('per-op fit on synthetic timings with known coefficients', () => {
  const grid = calibrationGrid('full', 28, 1, Rng.fromSeed(3));
  const ops = grid.map((p) => opInstanceOf(p.spec, p.input)!).filter((op) => op.kind === 'conv2d');
  const terms = { intercept: 0.05, mflops: 0.4, inMb: 0, outMb: 6, weightMb: 0, mTranscendental: 20, mUnfusedPass: 3, mDepthwiseMacs: 0 };
  const time = (op: OpInstance) => FEATURES.reduce((s, f, i) => s + terms[f] * featureVector(op)[i]!, 0);

  it('recovers the coefficients when timings are exact', () => {
    const fit = fitKind(ops.map((op) => ({ op, ms: time(op) })));
    for (const f of FEATURES) expect(fit.terms[f]).toBeCloseTo(terms[f], 4);
    expect(fit.medianAbsPctErr).toBeLessThan(1e-6);
  });

  it('stays within a few percent under 5% multiplicative noise', () => {
    const rng = Rng.fromSeed(4);
    const fit = fitKind(ops.map((op) => ({ op, ms: time(op) * (1 + 0.05 * (rng.next() * 2 - 1)) })));
    const errors = ops.map((op) => Math.abs(opTimeMs(fit, op) / time(op) - 1));
    expect(Math.max(...errors)).toBeLessThan(0.06);
  });
});

describe('network terms', () => {
  it('recovers overhead, per-op cost and group scales from exact networks', () => {
    const truth: NetworkTerms = { overheadMs: 1.5, perOpMs: 0.1, scale: { conv: 1.3, sepconv: 2, pool: 1.1, elementwise: 0.8, head: 1.7 } };
    const rng = Rng.fromSeed(5);
    const samples = Array.from({ length: 40 }, () => {
      const sums = Object.fromEntries(NETWORK_GROUPS.map((g) => [g, rng.next() * 5])) as Record<(typeof NETWORK_GROUPS)[number], number>;
      const opCount = rng.int(3, 15);
      return { sums, opCount, measuredMs: networkMs(truth, { sums, opCount }) };
    });
    const fit = fitNetwork(samples);
    expect(fit.overheadMs).toBeCloseTo(1.5, 5);
    expect(fit.perOpMs).toBeCloseTo(0.1, 5);
    for (const g of NETWORK_GROUPS) expect(fit.scale[g]).toBeCloseTo(truth.scale[g], 5);
  });

  it('falls back to one common scale with few networks', () => {
    const samples = [2, 4, 6].map((t) => ({ sums: { conv: t, sepconv: 0, pool: 0, elementwise: 0, head: 0 }, opCount: 3, measuredMs: 1 + 2 * t }));
    const fit = fitNetwork(samples);
    expect(fit.overheadMs).toBeCloseTo(1);
    expect(fit.scale.conv).toBeCloseTo(2);
    expect(fit.scale.head).toBeCloseTo(2);
  });
});

describe('accuracy figures and the grid', () => {
  it('counts predictions within 10% and the median error', () => {
    const a = accuracyOf([
      { predictedMs: 1.05, measuredMs: 1 },
      { predictedMs: 0.8, measuredMs: 1 },
      { predictedMs: 2, measuredMs: 2 },
      { predictedMs: 1.1, measuredMs: 1 },
    ]);
    expect(a.within10Share).toBe(0.75);
    expect(a.medianAbsPctErr).toBeCloseTo(7.5);
  });

  it('designs the same grid from the same seed, covering every op kind and kernel size', () => {
    const a = calibrationGrid('full', 28, 1, Rng.fromSeed(9));
    expect(calibrationGrid('full', 28, 1, Rng.fromSeed(9))).toEqual(a);
    const kinds = new Set(a.map((p) => opInstanceOf(p.spec, p.input)!.kind));
    expect([...kinds].sort()).toEqual([...COST_KINDS].sort());
    const kernels = new Set(a.flatMap((p) => (p.spec.op === 'conv2d' ? [p.spec.kernel] : [])));
    expect([...kernels].sort()).toEqual([1, 3, 5, 7]);
    expect(new Set(a.map((p) => p.input[0])).size).toBeGreaterThanOrEqual(4);
    // every activation a genome's convolutions use is timed (ReLU6 and ELU were not, and cost kernels of their own)
    for (const op of ['conv2d', 'separableConv2d'] as const) {
      const activations = new Set(a.flatMap((p) => (p.spec.op === op ? [p.spec.activation] : [])));
      expect([...activations].sort()).toEqual([...ACTIVATIONS, 'linear'].sort());
    }
  });
});
