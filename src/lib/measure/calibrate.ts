import { Rng, deriveSeed } from '../core/rng';
import { coefficientOfVariation, median } from '../core/stats';
import { opInstanceOf } from '../costmodel/features';
import { calibrationGrid, type GridSize } from '../costmodel/grid';
import { accuracyOf, fitKinds, fitNetwork, networkFeatures, predictNetworkMs, type CostModel, type NetworkSample, type OpSample } from '../costmodel/model';
import { lowerGenome } from '../genome/graph';
import { sampleGenome } from '../genome/sample';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import { buildModel } from '../model/build';
import { measureModel, type LatencyProtocol } from './latency';
import { MicroBench } from './microbench';

export interface CalibrationOptions {
  readonly grid: GridSize;
  /** Random networks whose whole latency fits the per-network terms. */
  readonly fitNetworks: number;
  /** Random networks never used for fitting, to report accuracy on. */
  readonly heldOutNetworks: number;
  /** Held-out networks measured `repeats` extra times (interleaved) for the repeatability figure. */
  readonly repeatNetworks: number;
  readonly repeats: number;
  readonly limits: SpaceLimits;
  readonly seed: number;
  readonly protocol: LatencyProtocol;
}

export type CalibrationPhase = 'ops' | 'fit-networks' | 'held-out' | 'repeats';
export interface CalibrationProgress {
  readonly phase: CalibrationPhase;
  readonly done: number;
  readonly total: number;
}

/** Predicted against measured latency of one held-out network, ms. */
export interface HeldOutPair {
  readonly predictedMs: number;
  readonly measuredMs: number;
  readonly params: number;
  readonly flops: number;
  readonly genome: CnnGenome;
}

export interface CalibrationAccuracy {
  readonly nFit: number;
  readonly nHeldOut: number;
  readonly within10Share: number;
  readonly medianAbsPctErr: number;
  /** Median over networks of the coefficient of variation of repeated measurements. */
  readonly latencyCv: number;
  readonly pairs: readonly HeldOutPair[];
}

export interface CalibrationResult {
  readonly model: CostModel;
  readonly accuracy: CalibrationAccuracy;
  readonly opSamples: readonly OpSample[];
  readonly networkSamples: readonly NetworkSample[];
  readonly durationMs: number;
}

/**
 * Calibrates the per-op cost model on the current backend: microbenchmarks over the designed grid, a fit
 * per op kind, whole random networks for the network terms, then held-out networks for accuracy.
 */
export async function calibrate(
  o: CalibrationOptions,
  onProgress: (p: CalibrationProgress) => void,
  stopped: () => boolean = () => false,
): Promise<CalibrationResult> {
  const start = performance.now();
  const rng = Rng.fromSeed(o.seed);
  const bench = new MicroBench(o.protocol);
  const grid = calibrationGrid(o.grid, Math.max(o.limits.height, o.limits.width), o.limits.channels, rng);
  const opSamples: OpSample[] = [];
  for (const [i, point] of grid.entries()) {
    if (stopped()) throw new Error('Calibration cancelled.');
    opSamples.push({ op: opInstanceOf(point.spec, point.input)!, ms: await bench.time(point), point });
    onProgress({ phase: 'ops', done: i + 1, total: grid.length });
  }
  const kinds = fitKinds(opSamples);

  const networks = Array.from({ length: o.fitNetworks + o.heldOutNetworks }, () => sampleGenome(o.limits, rng));
  /** Median latency of random network `i`, weights seeded by its index so a repeat times the same model. */
  const timeNetwork = async (i: number): Promise<number> => {
    if (stopped()) throw new Error('Calibration cancelled.');
    const model = buildModel(networks[i]!, o.limits, deriveSeed(o.seed, i));
    try {
      return (await measureModel(model, o.protocol)).medianMs;
    } finally {
      model.dispose();
    }
  };
  const measured: { nodes: ReturnType<typeof lowerGenome>; ms: number[] }[] = [];
  for (const [i, genome] of networks.entries()) {
    measured.push({ nodes: lowerGenome(genome, o.limits), ms: [await timeNetwork(i)] });
    const fitting = i < o.fitNetworks;
    onProgress({
      phase: fitting ? 'fit-networks' : 'held-out',
      done: fitting ? i + 1 : i + 1 - o.fitNetworks,
      total: fitting ? o.fitNetworks : o.heldOutNetworks,
    });
  }
  const networkSamples = measured.slice(0, o.fitNetworks).map(({ nodes, ms }) => ({ ...networkFeatures(kinds, nodes.nodes), measuredMs: ms[0]! }));
  const model: CostModel = { kinds, network: fitNetwork(networkSamples) };

  const heldOut = measured.slice(o.fitNetworks);
  const repeated = heldOut.slice(0, o.repeatNetworks);
  for (let r = 0; r < o.repeats; r++) {
    for (const [i, entry] of repeated.entries()) {
      entry.ms.push(await timeNetwork(o.fitNetworks + i));
      onProgress({ phase: 'repeats', done: r * repeated.length + i + 1, total: o.repeats * repeated.length });
    }
  }
  const pairs = heldOut.map(({ nodes, ms }, i) => ({
    predictedMs: predictNetworkMs(model, nodes.nodes),
    measuredMs: median(ms),
    params: nodes.params,
    flops: nodes.flops,
    genome: networks[o.fitNetworks + i]!,
  }));
  return {
    model,
    accuracy: {
      nFit: o.fitNetworks,
      nHeldOut: heldOut.length,
      ...accuracyOf(pairs),
      latencyCv: repeated.length ? median(repeated.map((e) => coefficientOfVariation(e.ms))) : NaN,
      pairs,
    },
    opSamples,
    networkSamples,
    durationMs: performance.now() - start,
  };
}
