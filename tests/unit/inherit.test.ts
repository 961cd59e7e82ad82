import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { lowerGenome } from '../../src/lib/genome/graph';
import { chooseDonor } from '../../src/lib/genome/inherit';
import { mutateGenome } from '../../src/lib/genome/mutate';
import { sampleGenome } from '../../src/lib/genome/sample';
import { buildModel } from '../../src/lib/model/build';
import { applyWeights, extractWeights } from '../../src/lib/model/inherit';
import { DIGIT_LIMITS } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const predict = (m: tf.LayersModel, x: tf.Tensor): Float32Array => tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync() as Float32Array);

describe('weight inheritance', () => {
  it('copies every layer into the same genome built with another seed: the same function afterwards', () => {
    const g = sampleGenome(DIGIT_LIMITS, Rng.fromSeed(4));
    const a = buildModel(g, DIGIT_LIMITS, 1);
    const b = buildModel(g, DIGIT_LIMITS, 2);
    const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 9);
    const layers = extractWeights(a);
    expect(applyWeights(b, layers)).toBe(layers.length);
    const [pa, pb] = [predict(a, x), predict(b, x)];
    pa.forEach((v, i) => expect(Math.abs(v - pb[i]!)).toBeLessThan(1e-6));
    a.dispose();
    b.dispose();
    x.dispose();
  });

  it('copies only the layers whose name and shapes match into a mutated child, leaking nothing', () => {
    const rng = Rng.fromSeed(8);
    const parent = sampleGenome(DIGIT_LIMITS, rng);
    const child = mutateGenome(parent, DIGIT_LIMITS, rng);
    const before = tf.memory().numTensors;
    const a = buildModel(parent, DIGIT_LIMITS, 1);
    const c = buildModel(child, DIGIT_LIMITS, 1);
    const layers = extractWeights(a);
    const shapes = (m: tf.LayersModel) =>
      new Map(m.layers.filter((l) => l.getWeights().length).map((l) => [l.name, JSON.stringify(l.getWeights().map((w) => w.shape))]));
    const [sa, sc] = [shapes(a), shapes(c)];
    const expected = [...sc].filter(([name, s]) => sa.get(name) === s).length;
    expect(applyWeights(c, layers)).toBe(expected);
    a.dispose();
    c.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('picks as donor the finished network sharing most weighted ops by name and size, later on ties', () => {
    const rng = Rng.fromSeed(12);
    const parent = sampleGenome(DIGIT_LIMITS, rng);
    const child = mutateGenome(parent, DIGIT_LIMITS, rng);
    const nodes = (g: typeof parent) => lowerGenome(g, DIGIT_LIMITS).nodes;
    const strangers = Array.from({ length: 5 }, () => sampleGenome(DIGIT_LIMITS, rng));
    const donors = [...strangers.map((g, i) => ({ seq: i, nodes: nodes(g) })), { seq: 9, nodes: nodes(parent) }];
    const picked = chooseDonor(nodes(child), donors)!;
    const score = (d: (typeof donors)[number]) =>
      d.nodes.filter((n) => n.params > 0 && nodes(child).some((m) => m.name === n.name && m.params === n.params)).length;
    expect(picked.matches).toBe(Math.max(...donors.map(score)));
    expect(
      chooseDonor(nodes(child), [
        { seq: 1, nodes: nodes(parent) },
        { seq: 2, nodes: nodes(parent) },
      ])!.seq,
    ).toBe(2);
    expect(chooseDonor(nodes(child), [])).toBeNull();
  });
});
