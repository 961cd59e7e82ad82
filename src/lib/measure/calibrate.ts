import { Rng, deriveSeed } from '../core/rng';
import { coefficientOfVariation, median } from '../core/stats';
import { opInstanceOf } from '../costmodel/features';
import { calibrationGrid, type GridSize } from '../costmodel/grid';
import { fitKernelModelCrossValidated } from '../costmodel/kernelFit';
import { alignKernelTimes } from '../costmodel/kernelTimes';
import { accuracyOf, fitKinds, fitNetwork, networkFeatures, predictNetworkMs, type CostModel, type NetworkSample, type OpSample } from '../costmodel/model';
import { kernelNetworkSamples, kernelOpSamples } from '../costmodel/online';
import { networkKernels } from '../costmodel/runtimeKernels';
import { lowerGenome } from '../genome/graph';
import { sampleGenome } from '../genome/sample';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import { buildModel } from '../model/build';
import { profileKernels } from './kernelProfile';
import { measureModel, type LatencyProtocol } from './latency';
import { MicroBench } from './microbench';
import { SpeedReference } from './speedReference';

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

/** One timing of a network: its time over the speed reference's, and its median as timed (ms). */
interface Take {
  readonly relative: number;
  readonly rawMs: number;
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
  /** The median of `runsMs`. */
  readonly measuredMs: number;
  /** Each measurement of the network at the machine's usual speed, in the order taken (1 + repeats where repeated). */
  readonly runsMs?: readonly number[];
  /** The same measurements as timed, before the speed reference took them to usual speed (speedReference.ts). */
  readonly rawMs?: readonly number[];
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
 * Calibrates the latency model on the current backend: microbenchmarks over the designed grid, whole random
 * networks that the per-kernel terms are fitted on (the microbenchmarks as their prior), then held-out networks
 * for accuracy.
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
  const lowered = networks.map((g) => lowerGenome(g, o.limits));
  const fitKernels = lowered.slice(0, o.fitNetworks).map((l) => networkKernels(l.nodes));
  // each fitted network's kernels' own times, where the backend can profile them (kernelProfile.ts)
  const kernelTimes: (number[] | null)[] = [];
  const reference = await SpeedReference.start(o.limits, o.protocol);
  /** Network `first + i` timed against the reference, weights seeded by its index so a repeat times the same model. */
  const timeNetwork =
    (first: number, profiled = false) =>
    async (i: number): Promise<Take> => {
      if (stopped()) throw new Error('Calibration cancelled.');
      const model = buildModel(networks[first + i]!, o.limits, deriveSeed(o.seed, first + i));
      try {
        const timing = await measureModel(model, o.protocol, reference);
        const take = { relative: timing.relative!, rawMs: timing.rawMedianMs! };
        if (profiled) {
          const profile = await profileKernels(model, o.protocol.batchSize, take.rawMs);
          kernelTimes[first + i] = profile && alignKernelTimes(fitKernels[first + i]!, profile);
        }
        return take;
      } finally {
        model.dispose();
      }
    };
  const timeAll = async (count: number, time: (i: number) => Promise<Take>, onDone: (done: number) => void): Promise<Take[]> => {
    const takes: Take[] = [];
    for (let i = 0; i < count; i++) {
      takes.push(await time(i));
      onDone(i + 1);
    }
    return takes;
  };
  let fitTakes: Take[];
  const heldOutTakes: Take[][] = [];
  const repeated = Math.min(o.repeatNetworks, o.heldOutNetworks);
  try {
    fitTakes = await timeAll(o.fitNetworks, timeNetwork(0, true), (done) => onProgress({ phase: 'fit-networks', done, total: o.fitNetworks }));
    heldOutTakes.push(
      await timeAll(o.heldOutNetworks, timeNetwork(o.fitNetworks), (done) => onProgress({ phase: 'held-out', done, total: o.heldOutNetworks })),
    );
    for (let r = 0; r < o.repeats; r++)
      heldOutTakes.push(
        await timeAll(repeated, timeNetwork(o.fitNetworks), (done) => onProgress({ phase: 'repeats', done: r * repeated + done, total: o.repeats * repeated })),
      );
  } finally {
    reference.dispose();
  }
  // every time at the reference's usual speed over the whole calibration, so fitted and held-out networks compare
  const usualMs = reference.usualMs();
  const networkSamples: NetworkSample[] = fitTakes.map((take, i) => {
    const measuredMs = take.relative * usualMs;
    // a network's kernels ran in the same spell as the network: the same correction to usual speed
    const kernelMs = kernelTimes[i]?.map((ms) => (ms * measuredMs) / take.rawMs);
    return { ...networkFeatures(kinds, lowered[i]!.nodes), measuredMs, kernels: fitKernels[i]!, ...(kernelMs ? { kernelMs } : {}) };
  });
  // the kernel model predicts; the per-op terms stay for the layer breakdown of profiles that predate it
  const model: CostModel = {
    kinds,
    network: fitNetwork(networkSamples),
    kernels: fitKernelModelCrossValidated(kernelNetworkSamples(networkSamples), kernelOpSamples(opSamples)),
  };
  // held-out network i's measurements across the first pass and the repeats (which time only the first few)
  const across = (i: number, of: (t: Take) => number): number[] => heldOutTakes.flatMap((pass) => (i < pass.length ? [of(pass[i]!)] : []));
  const heldOut = Array.from({ length: o.heldOutNetworks }, (_, i) => ({ nodes: lowered[o.fitNetworks + i]!, ms: across(i, (t) => t.relative * usualMs) }));
  const pairs = heldOut.map(({ nodes, ms }, i) => ({
    predictedMs: predictNetworkMs(model, nodes.nodes),
    measuredMs: median(ms),
    runsMs: ms,
    rawMs: across(i, (t) => t.rawMs),
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
      latencyCv: repeated ? median(heldOut.slice(0, repeated).map((e) => coefficientOfVariation(e.ms))) : NaN,
      pairs,
    },
    opSamples,
    networkSamples,
    durationMs: performance.now() - start,
  };
}
