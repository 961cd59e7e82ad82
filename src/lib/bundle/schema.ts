import { LAB_ADDRESS } from '../records';
import * as v from 'valibot';
import { BUILTIN_DATASETS } from '../data/builtin';
import { POWER_PROFILES, type PowerProfileId } from '../energy/energy';
import { ACTIVATIONS, BATCH_SIZES, KERNELS, OPTIMIZERS, SCHEDULES } from '../genome/types';
import { MAX_POOL_SIZE } from '../run/config';
import { BACKENDS } from '../model/names';
import { ALGORITHMS } from '../search/algorithm';
import { OBJECTIVES } from '../search/objectives';

/**
 * The shape of a run bundle, checked field by field with valibot before anything is stored. JSON has no
 * NaN or Infinity (they export as null), so figures accept null and come back as NaN, objectives as Infinity.
 */

const MAX_ITEMS = 100_000;
/** Runtime kernels of one network (a deep genome lowers to a few hundred). */
export const MAX_KERNELS = 10_000;
export const text = (max = 2_000) => v.pipe(v.string(), v.maxLength(max));
export const count = (max = Number.MAX_SAFE_INTEGER) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));
export const figure = v.pipe(
  v.nullable(v.number()),
  v.transform((x) => x ?? NaN),
);
/** A figure that cannot be negative (sizes, times, losses, energy); missing (null) reads as NaN. */
export const amount = v.pipe(
  v.nullable(v.pipe(v.number(), v.minValue(0))),
  v.transform((x) => x ?? NaN),
);
/** A share such as an accuracy: from 0 to 1, or missing. */
export const share = v.pipe(
  v.nullable(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  v.transform((x) => x ?? NaN),
);
const time = v.pipe(v.number(), v.minValue(0));
export const list = <T extends v.GenericSchema>(item: T, max = MAX_ITEMS) => v.pipe(v.array(item), v.maxLength(max));

const activation = v.picklist(ACTIVATIONS);
const convLike = {
  filters: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1024)),
  kernel: v.picklist(KERNELS),
  stride: v.picklist([1, 2] as const),
  activation: v.picklist([...ACTIVATIONS, 'linear'] as const),
};
const Layer = v.variant('kind', [
  v.strictObject({ kind: v.literal('conv'), ...convLike }),
  v.strictObject({ kind: v.literal('sepconv'), ...convLike }),
  v.strictObject({ kind: v.literal('pool'), mode: v.picklist(['max', 'avg'] as const), size: v.picklist([2, 3] as const) }),
  v.strictObject({ kind: v.literal('batchnorm') }),
  v.strictObject({ kind: v.literal('dropout'), rate: v.pipe(v.number(), v.minValue(0), v.maxValue(0.95)) }),
  v.strictObject({ kind: v.literal('activation'), fn: activation }),
]);
export const Genome = v.strictObject({
  blocks: list(v.strictObject({ layers: list(Layer, 64), skip: v.boolean() }), 64),
  head: v.picklist(['gap', 'flatten'] as const),
  training: v.strictObject({
    learningRate: v.pipe(v.number(), v.gtValue(0), v.maxValue(10)),
    batchSize: v.picklist(BATCH_SIZES),
    optimizer: v.picklist(OPTIMIZERS),
    epochs: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000)),
    schedule: v.optional(v.picklist(SCHEDULES)),
  }),
});

const Power = v.variant('kind', [
  v.strictObject({ kind: v.literal('assumed'), profile: v.picklist(Object.keys(POWER_PROFILES) as PowerProfileId[]), watts: v.number() }),
  v.strictObject({ kind: v.literal('battery'), watts: v.number(), lowW: v.number(), highW: v.number(), calibratedAt: time, minutesPerPhase: v.number() }),
]);

export const Config = v.strictObject({
  dataset: v.variant('kind', [
    v.strictObject({ kind: v.literal('builtin'), name: v.picklist(BUILTIN_DATASETS) }),
    v.strictObject({
      kind: v.literal('stored'),
      id: text(100),
      name: text(200),
      images: count(),
      shape: v.strictObject({ height: count(4096), width: count(4096), channels: count(64) }),
      classNames: list(text(200), 10_000),
    }),
  ]),
  algorithm: v.picklist(ALGORITHMS),
  objectives: list(v.picklist(OBJECTIVES), OBJECTIVES.length),
  populationSize: count(10_000),
  evaluations: count(MAX_ITEMS),
  seed: v.pipe(v.number(), v.integer()),
  budget: v.strictObject({
    maxEpochs: count(1000),
    maxTrainImages: count(),
    maxValidationImages: count(),
    maxParams: count(),
    maxFlops: count(),
    maxLatencyMs: v.nullable(v.number()),
    maxEnergyMj: v.nullable(v.number()),
  }),
  backend: v.picklist(['auto', ...BACKENDS] as const),
  power: Power,
  latencyRuns: count(100_000),
  trainOn: v.optional(v.picklist(['fastest', 'target'] as const)),
  multiFidelity: v.optional(v.boolean()),
  inheritWeights: v.optional(v.boolean()),
  workers: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_POOL_SIZE))),
  maxMinutes: v.optional(v.nullable(v.pipe(v.number(), v.minValue(0)))),
  share: v.optional(
    v.strictObject({ server: v.pipe(v.string(), v.regex(LAB_ADDRESS, 'expected a ws:// or wss:// address')), hostOnly: v.optional(v.boolean()) }),
  ),
});

export const Limits = v.strictObject({
  height: count(4096),
  width: count(4096),
  channels: count(64),
  classes: count(10_000),
  maxParams: count(),
  maxFlops: count(),
  maxEpochs: count(1000),
  maxBlocks: count(64),
  maxLayersPerBlock: count(64),
  trainImages: v.optional(count()),
});

export const Manifest = v.strictObject({
  userAgent: text(),
  hardwareConcurrency: count(),
  backend: v.picklist(BACKENDS),
  adapter: v.nullable(v.strictObject({ vendor: text(), architecture: text(), device: text(), description: text() })),
  gpuLimits: v.nullable(v.record(text(100), v.number())),
  timerResolutionMs: v.number(),
  crossOriginIsolated: v.boolean(),
  capturedAt: time,
});

const RUN_ID = /^run-[a-z0-9]{1,16}-[a-z0-9]{1,8}$/;
export const Run = v.strictObject({
  id: v.pipe(v.string(), v.regex(RUN_ID, 'a run id looks like run-<time>-<random>')),
  createdAt: time,
  updatedAt: time,
  config: Config,
  status: v.picklist(['running', 'paused', 'done', 'stopped', 'failed'] as const),
  limits: v.nullable(Limits),
  backend: v.nullable(
    v.strictObject({
      name: v.picklist(BACKENDS),
      requested: v.picklist(['auto', ...BACKENDS] as const),
      skipped: list(v.strictObject({ name: v.picklist(BACKENDS), reason: text() }), 8),
      adapter: v.nullable(text()),
    }),
  ),
  device: v.nullable(Manifest),
  costProfileId: v.nullable(text(500)),
  training: v.optional(
    v.strictObject({
      backend: v.picklist(BACKENDS),
      probe: v.nullable(
        v.strictObject({
          imagesPerSecond: v.record(v.picklist(BACKENDS), v.number()),
          failed: v.record(v.picklist(BACKENDS), text()),
          fastest: v.picklist(BACKENDS),
          input: v.tuple([count(4096), count(4096), count(64)]),
          measuredAt: time,
        }),
      ),
    }),
  ),
  userAgent: text(),
  message: v.nullable(text()),
  workers: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_POOL_SIZE))),
  activeMs: v.optional(v.pipe(v.number(), v.minValue(0))),
  remeasures: v.optional(
    list(
      v.strictObject({
        device: Manifest,
        power: Power,
        energyLabel: text(),
        at: time,
        candidates: list(
          v.strictObject({
            seq: count(MAX_ITEMS),
            latencyMs: figure,
            latencyP25Ms: figure,
            latencyP75Ms: figure,
            energyMj: figure,
            energyLowMj: figure,
            energyHighMj: figure,
          }),
          MAX_ITEMS,
        ),
      }),
      100,
    ),
  ),
});

export const Epoch = v.strictObject({ epoch: count(), loss: amount, accuracy: share, valLoss: amount, valAccuracy: share, ms: amount });
export const FAILURE_CODES = [
  'nan-loss',
  'out-of-memory',
  'worker-crash',
  'worker-hang',
  'device-lost',
  'backend-unavailable',
  'training-error',
  'interrupted-repeatedly',
  'not-prepared',
  'lost-device',
] as const;

export const Candidate = v.strictObject({
  id: text(100),
  runId: text(100),
  seq: count(MAX_ITEMS),
  generation: count(MAX_ITEMS),
  status: v.picklist(['done', 'failed'] as const),
  genome: Genome,
  key: text(20_000),
  metrics: v.strictObject({
    accuracy: share,
    valLoss: amount,
    params: amount,
    flops: amount,
    latencyMs: amount,
    latencyP25Ms: amount,
    latencyP75Ms: amount,
    coldLatencyMs: amount,
    energyMj: amount,
    predictedLatencyMs: v.nullable(v.number()),
    latencyErrorPct: v.nullable(v.number()),
    kernelMs: v.optional(list(figure, MAX_KERNELS)),
    latencyRelative: v.optional(figure),
  }),
  energy: v.nullable(v.strictObject({ mj: amount, lowMj: amount, highMj: amount, source: Power, label: text() })),
  history: list(Epoch, 1000),
  timings: v.strictObject({ trainMs: amount, measureMs: amount, totalMs: amount }),
  backend: v.nullable(v.picklist(BACKENDS)),
  trainedOn: v.optional(v.picklist(BACKENDS)),
  leakedTensors: count(),
  failure: v.nullable(v.strictObject({ code: v.picklist(FAILURE_CODES), message: text() })),
  attempts: count(1000),
  writer: text(100),
  overBudget: v.nullable(text()),
  finishedAt: time,
  inheritedFrom: v.optional(v.strictObject({ seq: count(MAX_ITEMS), layers: count(10_000) })),
  stoppedEarly: v.optional(v.strictObject({ afterEpoch: count(1000), minValAccuracy: v.number() })),
  fullRetrain: v.optional(
    v.strictObject({
      testAccuracy: share,
      testImages: count(),
      trainImages: count(),
      epochs: count(1000),
      backend: v.picklist(BACKENDS),
      trainMs: figure,
      at: time,
    }),
  ),
});

const objective = v.pipe(
  v.nullable(v.number()),
  v.transform((x) => x ?? Infinity),
);
const Evaluated = v.strictObject({ genome: Genome, key: text(20_000), objectives: list(objective, OBJECTIVES.length) });
const Pending = v.strictObject({ seq: count(MAX_ITEMS), generation: count(MAX_ITEMS), genome: Genome, key: text(20_000) });

export const Snapshot = v.strictObject({
  runId: text(100),
  step: count(MAX_ITEMS),
  state: v.strictObject({ algorithm: v.picklist(ALGORITHMS), generation: count(MAX_ITEMS), population: list(Evaluated, 10_000), seen: list(text(20_000)) }),
  rng: v.tuple([v.number(), v.number(), v.number(), v.number()]),
  pending: list(Pending, 10_000),
  told: v.optional(list(count(MAX_ITEMS), MAX_ITEMS)),
  savedAt: time,
});

export const BUNDLE_FORMAT = 'evonas-run-bundle';
export const BUNDLE_VERSION = 1;

export const Bundle = v.strictObject({
  format: v.literal(BUNDLE_FORMAT),
  version: v.literal(BUNDLE_VERSION),
  exportedAt: time,
  run: Run,
  snapshot: v.nullable(Snapshot),
  candidates: list(Candidate),
});

export type BundleData = v.InferOutput<typeof Bundle>;
