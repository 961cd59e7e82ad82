import type { NamedAttrMap } from '@tensorflow/tfjs-core';

/**
 * Two kernels update every trainable variable of a network in one call: inputs `p{i}` (value), `g{i}` (gradient)
 * and `s{i}` (the optimizer's state: Adam's first and second moments packed as [2, n], momentum's velocity as
 * [n]); outputs the new value and the new state of each variable in turn. Registered per backend (cpu, wasm,
 * webgpu); elsewhere the optimizer falls back to tfjs' own.
 */
export const FUSED_ADAM = 'EvonasFusedAdam';
export const FUSED_MOMENTUM = 'EvonasFusedMomentum';

export interface AdamAttrs extends NamedAttrMap {
  readonly count: number;
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t for this step t (bias correction). */
  readonly correction1: number;
  readonly correction2: number;
}

export interface MomentumAttrs extends NamedAttrMap {
  readonly count: number;
  readonly learningRate: number;
  readonly momentum: number;
}

/** Input names of variable `i`. */
export const slot = (i: number) => ({ value: `p${i}`, gradient: `g${i}`, state: `s${i}` }) as const;
