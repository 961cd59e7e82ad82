import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/core/rng';
import { COST_KINDS, FEATURES } from '../../src/lib/costmodel/features';
import { NETWORK_GROUPS, predictNetworkMs, predictOps, type CostModel } from '../../src/lib/costmodel/model';
import { lowerGenome } from '../../src/lib/genome/graph';
import { sampleGenome } from '../../src/lib/genome/sample';
import type { CostProfile } from '../../src/lib/measure/profile';
import { layerCosts } from '../../src/lib/run/layerCosts';
import { DIGIT_LIMITS } from './helpers';

const terms = Object.fromEntries(FEATURES.map((f) => [f, f === 'mflops' ? 0.5 : f === 'intercept' ? 0.01 : 0])) as Record<(typeof FEATURES)[number], number>;
const model: CostModel = {
  kinds: Object.fromEntries(COST_KINDS.map((k) => [k, { terms, samples: 10, medianAbsPctErr: 0 }])) as CostModel['kinds'],
  network: { overheadMs: 0.2, perOpMs: 0.003, scale: Object.fromEntries(NETWORK_GROUPS.map((g, i) => [g, 1 + i / 4])) as CostModel['network']['scale'] },
};
const profile = { id: 'p', model } as unknown as CostProfile;

describe('layer costs (the candidate heat map)', () => {
  const { nodes } = lowerGenome(sampleGenome(DIGIT_LIMITS, Rng.fromSeed(7)), DIGIT_LIMITS);

  it('splits the measured latency and energy by FLOPs without a calibration', () => {
    const costs = layerCosts(nodes, 2, 30, null);
    expect(costs.basis).toBe('flops');
    expect(costs.layers.reduce((s, l) => s + l.share, 0)).toBeCloseTo(1, 9);
    const total = nodes.reduce((s, n) => s + n.flops, 0);
    nodes.forEach((n, i) => {
      expect(costs.layers[i]!.share).toBeCloseTo(n.flops / total, 9);
      expect(costs.layers[i]!.latencyMs).toBeCloseTo((2 * n.flops) / total, 9);
      expect(costs.layers[i]!.energyMj).toBeCloseTo((30 * n.flops) / total, 9);
    });
  });

  it('follows the calibrated network prediction term by term, the overhead left unowned', () => {
    const costs = layerCosts(nodes, 1, 1, profile);
    expect(costs.basis).toBe('calibrated');
    const predicted = predictNetworkMs(model, nodes);
    expect(costs.overheadShare).toBeCloseTo(0.2 / predicted, 9);
    expect(costs.layers.reduce((s, l) => s + l.share, 0) + costs.overheadShare).toBeCloseTo(1, 9);
    // the costliest layer is a costed op, and an op the model does not cost (the input) owns nothing
    const costed = new Set(predictOps(model.kinds, nodes).map((o) => o.name));
    const top = costs.layers.reduce((a, b) => (b.share > a.share ? b : a));
    expect(costed.has(top.name)).toBe(true);
    costs.layers.filter((l) => !costed.has(l.name)).forEach((l) => expect(l.share).toBe(0));
  });
});
