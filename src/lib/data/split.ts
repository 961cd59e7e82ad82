import type { Rng } from '../core/rng';

export interface SplitFractions {
  readonly validation: number;
  readonly test: number;
}

export interface Split {
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test: Int32Array;
}

/** Interleaves per-class lists round-robin, so every prefix of the result is close to stratified. */
function interleave(perClass: number[][]): Int32Array {
  const out: number[] = [];
  for (let i = 0; out.length < perClass.reduce((s, c) => s + c.length, 0); i++) {
    for (const list of perClass) if (i < list.length) out.push(list[i]!);
  }
  return Int32Array.from(out);
}

/**
 * Seeded stratified split: each class is shuffled and cut in the given fractions. Each part is ordered
 * round-robin over classes, so a training budget that takes its first N images stays balanced.
 */
export function stratifiedSplit(labels: ArrayLike<number>, fractions: SplitFractions, rng: Rng): Split {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byClass.get(labels[i]!) ?? [];
    list.push(i);
    byClass.set(labels[i]!, list);
  }
  const parts: [number[][], number[][], number[][]] = [[], [], []];
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const shuffled = rng.shuffled(byClass.get(cls)!);
    const nVal = Math.round(shuffled.length * fractions.validation);
    const nTest = Math.round(shuffled.length * fractions.test);
    parts[1].push(shuffled.slice(0, nVal));
    parts[2].push(shuffled.slice(nVal, nVal + nTest));
    parts[0].push(shuffled.slice(nVal + nTest));
  }
  return { train: interleave(parts[0]), validation: interleave(parts[1]), test: interleave(parts[2]) };
}
