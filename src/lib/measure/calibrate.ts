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
import { atUsualSpeed, SpeedGauge, timeGauged, type GaugedTimes } from './speedReference';

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
  /** The median of `runsMs`. */
  readonly measuredMs: number;
  /** Each measurement of the network at the machine's usual speed, in the order taken (1 + repeats where repeated). */
  readonly runsMs?: readonly number[];
  /** The same measurements as timed, and the speed gauge's reading around each (speedReference.ts). */
  readonly rawMs?: readonly number[];
  readonly gaugeMs?: readonly number[];
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
  /** Latency of random network `first + i`, weights seeded by its index so a repeat times the same model. */
  const timeNetwork =
    (first: number, profiled = false) =>
    async (i: number): Promise<number> => {
      if (stopped()) throw new Error('Calibration cancelled.');
      const model = buildModel(networks[first + i]!, o.limits, deriveSeed(o.seed, first + i));
      try {
        const ms = (await measureModel(model, o.protocol)).medianMs;
        if (profiled) {
          const profile = await profileKernels(model, o.protocol.batchSize, ms);
          kernelTimes[first + i] = profile && alignKernelTimes(fitKernels[first + i]!, profile);
        }
        return ms;
      } finally {
        model.dispose();
      }
    };
  const gauge = new SpeedGauge(o.limits);
  let fitTimes: GaugedTimes;
  const heldOutTimes: GaugedTimes[] = [];
  const repeated = Math.min(o.repeatNetworks, o.heldOutNetworks);
  try {
    fitTimes = await timeGauged(o.fitNetworks, timeNetwork(0, true), gauge, (done, total) => onProgress({ phase: 'fit-networks', done, total }));
    heldOutTimes.push(await timeGauged(o.heldOutNetworks, timeNetwork(o.fitNetworks), gauge, (done, total) => onProgress({ phase: 'held-out', done, total })));
    for (let r = 0; r < o.repeats; r++)
      heldOutTimes.push(
        await timeGauged(repeated, timeNetwork(o.fitNetworks), gauge, (done, total) =>
          onProgress({ phase: 'repeats', done: r * total + done, total: o.repeats * total }),
        ),
      );
  } finally {
    gauge.dispose();
  }
  // every time at the machine's usual speed over the whole calibration, so fitted and held-out networks compare
  const usualMs = gauge.usualMs();
  const fitMs = atUsualSpeed(fitTimes, usualMs);
  const networkSamples: NetworkSample[] = fitMs.map((measuredMs, i) => {
    // a network's kernels ran in the same spell as the network: the same correction to usual speed
    const atUsual = measuredMs / fitTimes.raw[i]!;
    const kernelMs = kernelTimes[i]?.map((ms) => ms * atUsual);
    return { ...networkFeatures(kinds, lowered[i]!.nodes), measuredMs, kernels: fitKernels[i]!, ...(kernelMs ? { kernelMs } : {}) };
  });
  // the kernel model predicts; the per-op terms stay for the layer breakdown of profiles that predate it
  const model: CostModel = {
    kinds,
    network: fitNetwork(networkSamples),
    kernels: fitKernelModelCrossValidated(kernelNetworkSamples(networkSamples), kernelOpSamples(opSamples)),
  };
  // held-out network i's measurements across the first pass and the repeats (which time only the first few)
  const usual = heldOutTimes.map((t) => atUsualSpeed(t, usualMs));
  const raw = heldOutTimes.map((t) => t.raw);
  const around = heldOutTimes.map((t) => t.around);
  const across = (passes: readonly (readonly number[])[], i: number): number[] => passes.flatMap((p) => (i < p.length ? [p[i]!] : []));
  const heldOut = Array.from({ length: o.heldOutNetworks }, (_, i) => ({ nodes: lowered[o.fitNetworks + i]!, ms: across(usual, i) }));
  const pairs = heldOut.map(({ nodes, ms }, i) => ({
    predictedMs: predictNetworkMs(model, nodes.nodes),
    measuredMs: median(ms),
    runsMs: ms,
    rawMs: across(raw, i),
    gaugeMs: across(around, i),
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
