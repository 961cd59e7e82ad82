import * as tf from '@tensorflow/tfjs';
import { lowerGenome } from '../genome/graph';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import { networkKernels } from '../costmodel/runtimeKernels';
import { kernelTimesInPlace } from '../measure/kernelProfile';
import { measureModel, type LatencyProtocol, type LatencyResult } from '../measure/latency';
import { SpeedReference, type SpeedReadings } from '../measure/speedReference';
import { buildModel } from '../model/build';
import type { LayerWeights } from '../genome/inherit';
import { applyWeights, extractWeights } from '../model/inherit';
import type { TrainingTensors } from '../model/data';
import { disposeOptimizer, makeOptimizer } from '../model/optimizer/make';
import { trainModel, type TrainHooks } from '../model/train';
import type { CandidateEvaluation } from '../records/figures';

/** Moves to the backend latency is measured on (the one the model is meant for) and back to the training one. */
export interface BackendSwitch {
  readonly measure: () => Promise<void>;
  readonly train: () => Promise<void>;
}

const NO_SWITCH: BackendSwitch = { measure: async () => {}, train: async () => {} };

/** Weight inheritance: layers to start from, and whether to hand the trained ones back. */
export interface WeightsIo {
  readonly inherit?: readonly LayerWeights[];
  readonly keep?: boolean;
}

/**
 * Builds, compiles, trains and times one genome, then frees every tensor it made and reports any that
 * survived (`leakedTensors`), so a leak shows up in the data instead of as a slow death of the tab.
 */
export async function evaluateGenome(
  genome: CnnGenome,
  limits: SpaceLimits,
  data: TrainingTensors,
  seed: number,
  latency: LatencyProtocol,
  hooks: TrainHooks = {},
  switchTo: BackendSwitch = NO_SWITCH,
  weights: WeightsIo = {},
  speed?: SpeedReadings,
): Promise<CandidateEvaluation> {
  const baseline = tf.memory().numTensors;
  const result = await trainAndMeasure(genome, limits, data, seed, latency, hooks, switchTo, weights, speed);
  return { ...result, leakedTensors: tf.memory().numTensors - baseline };
}

async function trainAndMeasure(
  genome: CnnGenome,
  limits: SpaceLimits,
  data: TrainingTensors,
  seed: number,
  latency: LatencyProtocol,
  hooks: TrainHooks,
  switchTo: BackendSwitch,
  io: WeightsIo,
  speed: SpeedReadings | undefined,
): Promise<Omit<CandidateEvaluation, 'leakedTensors'>> {
  const { params, flops, nodes } = lowerGenome(genome, limits);
  const model = buildModel(genome, limits, seed);
  const inheritedLayers = io.inherit ? applyWeights(model, io.inherit) : 0;
  const optimizer = makeOptimizer(genome.training);
  try {
    const trainStart = performance.now();
    const history = await trainModel(model, optimizer, data, genome.training, seed, hooks);
    const trainMs = performance.now() - trainStart;
    const weights = io.keep ? extractWeights(model) : undefined;
    const measureStart = performance.now();
    await switchTo.measure(); // the weights follow the model to the backend it is meant for
    let timing: LatencyResult;
    let kernelMs: number[] | undefined;
    // timed against the speed reference where the worker keeps its readings: latency at the machine's usual speed
    let reference: SpeedReference | undefined;
    try {
      reference = speed && (await SpeedReference.start(limits, latency, speed));
      timing = await measureModel(model, latency, reference);
      kernelMs = await kernelTimesInPlace(model, networkKernels(nodes), timing);
    } finally {
      reference?.dispose();
      await switchTo.train();
    }
    const measureMs = performance.now() - measureStart;
    const last = history[history.length - 1]!;
    return {
      history,
      accuracy: last.valAccuracy,
      valLoss: last.valLoss,
      params,
      flops,
      latency: timing,
      trainMs,
      measureMs,
      inheritedLayers,
      ...(kernelMs ? { kernelMs } : {}),
      ...(weights ? { weights } : {}),
    };
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
  }
}

export type { CandidateEvaluation } from '../records/figures';
