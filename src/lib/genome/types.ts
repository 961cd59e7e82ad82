/** The CNN genome: plain JSON data, the same record the worker trains, IndexedDB stores and exports carry. */

export const ACTIVATIONS = ['relu', 'relu6', 'elu', 'silu'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export type ConvActivation = Activation | 'linear';

export const KERNELS = [1, 3, 5, 7] as const;
export type Kernel = (typeof KERNELS)[number];
export type Stride = 1 | 2;

export const FILTERS = [8, 12, 16, 24, 32, 48, 64, 96, 128] as const;

export type LayerGene =
  | { readonly kind: 'conv'; readonly filters: number; readonly kernel: Kernel; readonly stride: Stride; readonly activation: ConvActivation }
  /** Depthwise-separable conv: depthwise k x k, then pointwise 1 x 1 to `filters` channels. */
  | { readonly kind: 'sepconv'; readonly filters: number; readonly kernel: Kernel; readonly stride: Stride; readonly activation: ConvActivation }
  /** Pooling always downsamples by 2 ("same" padding), window 2 or 3. */
  | { readonly kind: 'pool'; readonly mode: 'max' | 'avg'; readonly size: 2 | 3 }
  | { readonly kind: 'batchnorm' }
  | { readonly kind: 'dropout'; readonly rate: number }
  | { readonly kind: 'activation'; readonly fn: Activation };

export type LayerKind = LayerGene['kind'];
export const LAYER_KINDS = ['conv', 'sepconv', 'pool', 'batchnorm', 'dropout', 'activation'] as const satisfies readonly LayerKind[];
// every kind listed: a new layer kind fails to compile here until it is added
const _everyKind: (typeof LAYER_KINDS)[number] extends LayerKind ? (LayerKind extends (typeof LAYER_KINDS)[number] ? true : never) : never = true;
void _everyKind;

/** A run of layers; with `skip`, its input is added to its output (through a 1x1 projection where shapes differ). */
export interface Block {
  readonly layers: readonly LayerGene[];
  readonly skip: boolean;
}

export const OPTIMIZERS = ['adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const BATCH_SIZES = [16, 32, 64, 128] as const;
export type BatchSize = (typeof BATCH_SIZES)[number];

/**
 * How the step size moves over training: constant, or a linear warm-up over the first tenth of the steps and
 * a cosine decay to zero by the last (what pays at a budget of a few epochs). Absent means constant, as genomes
 * stored before the schedule existed were trained.
 */
export const SCHEDULES = ['constant', 'warmup-cosine'] as const;
export type Schedule = (typeof SCHEDULES)[number];

export interface TrainingGenes {
  /** Peak step size; sgd uses momentum 0.9. */
  readonly learningRate: number;
  readonly batchSize: BatchSize;
  readonly optimizer: OptimizerName;
  /** Passes over the (possibly budget-limited) training split. */
  readonly epochs: number;
  readonly schedule?: Schedule;
}

export type Head = 'gap' | 'flatten';

export interface CnnGenome {
  readonly blocks: readonly Block[];
  /** How the feature map becomes a vector before the softmax classifier. */
  readonly head: Head;
  readonly training: TrainingGenes;
}

/** Input shape and limits every genome of a search must respect. */
export interface SpaceLimits {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly classes: number;
  /** Upper bound on parameters (weights, biases and batch-norm statistics). */
  readonly maxParams: number;
  /** Upper bound on FLOPs of one inference: what keeps a candidate's training time within budget. */
  readonly maxFlops: number;
  readonly maxEpochs: number;
  readonly maxBlocks: number;
  readonly maxLayersPerBlock: number;
  /** Images a candidate trains on per epoch; with it, batch size and epochs give every network enough steps. */
  readonly trainImages?: number;
}

export const DEFAULT_LIMITS: Omit<SpaceLimits, 'height' | 'width' | 'channels' | 'classes'> = {
  maxParams: 100_000,
  maxFlops: 500_000,
  maxEpochs: 3,
  maxBlocks: 4,
  maxLayersPerBlock: 4,
};
