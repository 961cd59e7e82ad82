import { expect, it } from 'vitest';
import { refinedModel, MIN_SAMPLES } from '../../src/lib/costmodel/online';
import { predictNetworkMs } from '../../src/lib/costmodel/model';
import { lowerGenome } from '../../src/lib/genome/graph';
import { sampleGenome } from '../../src/lib/genome/sample';
import { Rng } from '../../src/lib/core/rng';
import { config } from './loopHarness';
import { limitsFor } from '../../src/lib/run/config';

const limits = limitsFor(config, { height: 28, width: 28, channels: 1, classes: 10 });

it('needs a few measured networks without a calibration, then predicts networks it never saw from their shapes', () => {
  const rng = Rng.fromSeed(3);
  const nets = Array.from({ length: 60 }, () => lowerGenome(sampleGenome(limits, rng), limits));
  // a device where a network costs a fixed overhead, a little per op and its FLOPs
  const device = (n: (typeof nets)[number]) => 0.05 + 0.004 * n.nodes.length + n.flops / 2e8;
  const measured = nets.slice(0, 40).map((n) => ({ nodes: n.nodes, measuredMs: device(n) }));
  expect(refinedModel(null, measured.slice(0, MIN_SAMPLES - 1))).toBeNull();
  const model = refinedModel(null, measured)!;
  const errors = nets.slice(40).map((n) => Math.abs(predictNetworkMs(model, n.nodes) / device(n) - 1));
  expect(errors.filter((e) => e <= 0.1).length / errors.length).toBeGreaterThanOrEqual(0.9);
});
