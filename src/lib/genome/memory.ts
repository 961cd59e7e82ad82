import { lowerGenome } from './graph';
import type { CnnGenome, SpaceLimits } from './types';

const BYTES_PER_FLOAT = 4;
/** Forward activations kept for backprop, their gradients, and a transient copy per op. */
const ACTIVATION_COPIES = 3;
/** Weights, gradients and two Adam moments. */
const WEIGHT_COPIES = 4;

/** Peak memory to train a genome at a batch size, in bytes: an upper estimate from the lowered graph. */
export function trainingBytes(genome: CnnGenome, limits: SpaceLimits, batchSize: number): number {
  const graph = lowerGenome(genome, limits);
  const activations = graph.nodes.reduce((sum, n) => sum + n.shape.reduce((a, b) => a * b, 1), 0);
  return BYTES_PER_FLOAT * (ACTIVATION_COPIES * batchSize * activations + WEIGHT_COPIES * graph.params);
}

/**
 * A genome far beyond any device, for the out-of-memory fault test: sixteen 8192-filter 7x7 convolutions at
 * full resolution, so its weights alone need gigabytes. Kept here so the test and the guard agree on shapes.
 */
export function oversizedGenome(base: CnnGenome): CnnGenome {
  const conv = { kind: 'conv', filters: 8192, kernel: 7, stride: 1, activation: 'relu' } as const;
  return { ...base, blocks: Array.from({ length: 4 }, () => ({ layers: [conv, conv, conv, conv], skip: false })), head: 'gap' };
}
