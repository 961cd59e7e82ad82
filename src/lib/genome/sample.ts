import type { Rng } from '../core/rng';
import { sampleBatchSize, sampleBlockLayers, sampleLearningRate } from './genes';
import { repairGenome } from './repair';
import type { Block, CnnGenome, SpaceLimits } from './types';

/** A random valid genome: 1-3 blocks of 1-3 layers, training genes in their usual ranges. */
export function sampleGenome(limits: SpaceLimits, rng: Rng): CnnGenome {
  const blockCount = rng.int(1, Math.min(3, limits.maxBlocks));
  const blocks: Block[] = [];
  for (let b = 0; b < blockCount; b++) {
    blocks.push({ layers: sampleBlockLayers(rng, limits.maxLayersPerBlock), skip: rng.bool(0.3) });
  }
  const optimizer = rng.bool(0.7) ? 'adam' : 'sgd';
  return repairGenome(
    {
      blocks,
      head: rng.bool() ? 'gap' : 'flatten',
      training: {
        optimizer,
        learningRate: sampleLearningRate(optimizer, rng),
        batchSize: sampleBatchSize(rng),
        epochs: rng.int(1, limits.maxEpochs),
      },
    },
    limits,
  );
}
