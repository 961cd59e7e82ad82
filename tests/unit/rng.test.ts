import { describe, expect, it } from 'vitest';
import { deriveSeed, Rng } from '../../src/lib/core/rng';

describe('Rng', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = Rng.fromSeed(42);
    const b = Rng.fromSeed(42);
    const c = Rng.fromSeed(43);
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('resumes exactly from a saved state', () => {
    const rng = Rng.fromSeed(7);
    for (let i = 0; i < 100; i++) rng.next();
    const saved = rng.state();
    const expected = Array.from({ length: 10 }, () => rng.next());
    const restored = Rng.fromState(JSON.parse(JSON.stringify(saved)));
    expect(Array.from({ length: 10 }, () => restored.next())).toEqual(expected);
  });

  it('draws integers uniformly within inclusive bounds', () => {
    const rng = Rng.fromSeed(1);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(0, 5)]++;
    for (const c of counts) expect(c).toBeGreaterThan(9_400);
    for (const c of counts) expect(c).toBeLessThan(10_600);
  });

  it('respects weights', () => {
    const rng = Rng.fromSeed(3);
    let heavy = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        rng.weighted([
          ['a', 1],
          ['b', 9],
        ] as const) === 'b'
      )
        heavy++;
    expect(heavy / 10_000).toBeCloseTo(0.9, 1);
  });

  it('derives distinct seeds from distinct parts', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(1, i)));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(1, 2)).toBe(deriveSeed(1, 2));
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
  });
});
