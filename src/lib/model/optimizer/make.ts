import * as tf from '@tensorflow/tfjs';
import type { TrainingGenes } from '../../genome/types';
import { FusedAdam, FusedMomentum, hasFusedKernel } from './fused';
import { FUSED_ADAM, FUSED_MOMENTUM } from './kernels';

/** SGD's momentum (the genome's "sgd" is SGD with momentum). */
const MOMENTUM = 0.9;

/**
 * The genome's optimizer for the current backend: the fused one where this project registers its kernel (cpu,
 * wasm, webgpu), else tfjs' own (webgl). Both compute the same update.
 */
export function makeOptimizer(genes: TrainingGenes): tf.Optimizer {
  if (genes.optimizer === 'adam') return hasFusedKernel(FUSED_ADAM) ? new FusedAdam(genes.learningRate) : tf.train.adam(genes.learningRate);
  return hasFusedKernel(FUSED_MOMENTUM) ? new FusedMomentum(genes.learningRate, MOMENTUM) : tf.train.momentum(genes.learningRate, MOMENTUM);
}

/**
 * Sets the step size of the coming updates (a schedule's). The fused optimizers read it per step; tfjs' Adam
 * reads its protected `learningRate` per step, and its SGD family keeps it as a scalar that `setLearningRate`
 * replaces.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // by shape, not instanceof: tfjs' Optimizer answers instanceof for any optimizer, subclasses included
  const o = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else o.learningRate = learningRate;
}

/**
 * Frees an optimizer's tensors. tfjs 4.22's MomentumOptimizer.dispose() skips SGDOptimizer's, leaking the
 * learning-rate scalar `c` once per candidate; dispose it here.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (c && !c.isDisposed) c.dispose();
}
