import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { classCounts } from '../../src/lib/data/dataset';
import { prepareSplit } from '../../src/lib/data/prepare';
import { stratifiedSplit } from '../../src/lib/data/split';

const labels = Uint8Array.from({ length: 1000 }, (_, i) => (i < 500 ? 0 : i < 800 ? 1 : 2));

describe('stratified split', () => {
  it('cuts every class in the given fractions, without overlap', () => {
    const s = stratifiedSplit(labels, { validation: 0.2, test: 0.1 }, Rng.fromSeed(1));
    expect(
      classCounts(
        Array.from(s.validation, (i) => labels[i]!),
        3,
      ),
    ).toEqual([100, 60, 40]);
    expect(
      classCounts(
        Array.from(s.test, (i) => labels[i]!),
        3,
      ),
    ).toEqual([50, 30, 20]);
    const all = new Set([...s.train, ...s.validation, ...s.test]);
    expect(all.size).toBe(1000);
  });

  it('is seeded', () => {
    const a = stratifiedSplit(labels, { validation: 0.2, test: 0.1 }, Rng.fromSeed(1));
    const b = stratifiedSplit(labels, { validation: 0.2, test: 0.1 }, Rng.fromSeed(1));
    const c = stratifiedSplit(labels, { validation: 0.2, test: 0.1 }, Rng.fromSeed(2));
    expect(a.train).toEqual(b.train);
    expect(a.train).not.toEqual(c.train);
  });

  it('orders parts round-robin so a budget prefix keeps every class', () => {
    const s = stratifiedSplit(labels, { validation: 0.2, test: 0.1 }, Rng.fromSeed(1));
    expect(
      classCounts(
        Array.from(s.train.subarray(0, 30), (i) => labels[i]!),
        3,
      ),
    ).toEqual([10, 10, 10]);
  });

  it('keeps an official test set apart and applies the budget', () => {
    const s = prepareSplit({ dataset: { labels } as never, officialTestStart: 900 }, 1, { maxTrainImages: 50, maxValidationImages: 20 });
    expect(s.test).toEqual(Int32Array.from({ length: 100 }, (_, i) => 900 + i));
    expect(s.train.length).toBe(50);
    expect(s.validation.length).toBe(20);
    expect([...s.train, ...s.validation].every((i) => i < 900)).toBe(true);
  });
});
