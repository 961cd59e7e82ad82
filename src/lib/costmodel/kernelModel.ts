import { KERNEL_KINDS, type KernelInstance, type KernelKind } from './runtimeKernels';

/**
 * What one kernel costs, per kind (millions of each unit but `count`): a dispatch, its multiply-adds, the
 * elements it reads and writes, the starts of its innermost loop (a conv of 8 filters does less per loop start
 * than one of 64); the multiply-adds of 1x1, 5x5 and 7x7 windows on top of those of any window (runtimes have a
 * microkernel per window size: XNNPACK's 7x7 depthwise runs at a third of its 3x3 speed); the multiply-adds
 * wasted on output channels rounded up to 8 (SIMD kernels compute 8 channels at a time: 12 cost as 16); output
 * pixels (each sets up its own window of inputs); output elements times window taps (an indirect convolution
 * loads a pointer per tap for every tile of outputs); the multiply-adds inside the map (tfjs' CPU kernels skip
 * the padding that XNNPACK multiplies: a 7x7 window over a 4x4 map does a third of its nominal work there).
 */
export const KERNEL_TERMS = [
  'count',
  'mMacs',
  'mIn',
  'mOut',
  'mLoops',
  'mMacs1x1',
  'mMacs5x5',
  'mMacs7x7',
  'mPaddingMacs',
  'mPixels',
  'mTaps',
  'mValidMacs',
] as const;
export type KernelTerm = (typeof KERNEL_TERMS)[number];
export type KernelTerms = Readonly<Record<KernelTerm, number>>;

/**
 * Latency of a network: one constant per inference (the predict call, its input slice, the read-back), the
 * engine's bookkeeping per kernel dispatched, and each kernel's own cost from its kind's non-negative terms.
 */
export interface KernelModel {
  readonly version: 1;
  readonly terms: Readonly<Record<KernelKind, KernelTerms>>;
  readonly constantMs: number;
  /**
   * Per kernel dispatched in a network, outside the kernel's own time (tensor records, the tape): what a profiled
   * kernel does not show. Absent in models stored before kernels were timed inside networks (then 0: the kinds'
   * `count` terms hold it).
   */
  readonly dispatchMs?: number;
  /** The same per kind, where fitted (a fused convolution's bookkeeping costs more than an add's); else `dispatchMs`. */
  readonly kindDispatchMs?: Readonly<Partial<Record<KernelKind, number>>>;
  /** Weight the in-network kernel timings were fitted with, chosen by cross-validation; absent or 0: none were. */
  readonly timingWeight?: number;
}

/** Lane width the padded multiply-adds round output channels up to. */
const SIMD_CHANNELS = 8;

/** The term values of one kernel, in KERNEL_TERMS order. */
export function termValues(k: KernelInstance): number[] {
  const m = k.macs / 1e6;
  const perLane = k.lanes > 0;
  return [
    1,
    m,
    k.inElements / 1e6,
    k.outElements / 1e6,
    perLane ? m / k.lanes : 0,
    k.window === 1 ? m : 0,
    k.window === 5 ? m : 0,
    k.window === 7 ? m : 0,
    perLane ? (m * (Math.ceil(k.lanes / SIMD_CHANNELS) * SIMD_CHANNELS - k.lanes)) / k.lanes : 0,
    perLane ? k.outElements / k.lanes / 1e6 : 0,
    (k.outElements * k.window ** 2) / 1e6,
    (k.validMacs ?? k.macs) / 1e6,
  ];
}

/** One kernel's own cost (ms), without the engine's dispatch bookkeeping. */
export function kernelMs(model: KernelModel, k: KernelInstance): number {
  const terms = model.terms[k.kind];
  // a profile stored before a kind or term existed has no coefficient for it: it counts 0
  return termValues(k).reduce((s, v, t) => s + v * (terms?.[KERNEL_TERMS[t]!] ?? 0), 0);
}

/** What some kernels (an op's, a layer's) cost in a network, dispatch included, without the per-inference constant. */
export const kernelsMs = (model: KernelModel, kernels: readonly KernelInstance[]): number =>
  kernels.reduce((s, k) => s + kernelMs(model, k) + dispatchOf(model, k.kind), 0);

/** What the engine does around one kernel of `kind` in a network, outside the kernel's own time (ms). */
export const dispatchOf = (model: KernelModel, kind: KernelKind): number => model.kindDispatchMs?.[kind] ?? model.dispatchMs ?? 0;

export function kernelNetworkMs(model: KernelModel, kernels: readonly KernelInstance[]): number {
  return Math.max(1e-3, model.constantMs + kernelsMs(model, kernels));
}

/** Every coefficient of `model` times `factor` (what a device slower or faster than when calibrated changes). */
export function scaledKernelModel(model: KernelModel, factor: number, offsetMs = 0): KernelModel {
  const terms = Object.fromEntries(
    KERNEL_KINDS.map((kind) => [kind, Object.fromEntries(KERNEL_TERMS.map((t) => [t, (model.terms[kind]?.[t] ?? 0) * factor]))]),
  ) as Record<KernelKind, KernelTerms>;
  return {
    ...model,
    terms,
    constantMs: model.constantMs * factor + offsetMs,
    ...(model.dispatchMs !== undefined ? { dispatchMs: model.dispatchMs * factor } : {}),
    ...(model.kindDispatchMs ? { kindDispatchMs: Object.fromEntries(Object.entries(model.kindDispatchMs).map(([kind, ms]) => [kind, ms * factor])) } : {}),
  };
}
