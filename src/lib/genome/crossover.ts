import type { Rng } from '../core/rng';
import { repairGenome } from './repair';
import type { CnnGenome, SpaceLimits } from './types';

/**
 * One-point crossover on blocks (the head of one parent's block list joined to the tail of the other's) and
 * uniform crossover of the head and training genes, then repair.
 */
export function crossoverGenomes(a: CnnGenome, b: CnnGenome, limits: SpaceLimits, rng: Rng): CnnGenome {
  const cutA = rng.int(1, a.blocks.length);
  const cutB = rng.int(0, b.blocks.length - 1);
  const blocks = [...a.blocks.slice(0, cutA), ...b.blocks.slice(cutB)].slice(0, limits.maxBlocks);
  const from = (): CnnGenome => (rng.bool() ? a : b);
  return repairGenome(
    {
      blocks,
      head: from().head,
      training: {
        learningRate: from().training.learningRate,
        batchSize: from().training.batchSize,
        optimizer: from().training.optimizer,
        epochs: from().training.epochs,
      },
    },
    limits,
  );
}
