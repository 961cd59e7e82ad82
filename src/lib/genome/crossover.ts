import type { Rng } from '../core/rng';
import { repairGenome } from './repair';
import type { CnnGenome, SpaceLimits } from './types';

/**
 * One-point crossover on blocks (the head of one parent's block list joined to the tail of the other's) and
 * uniform crossover of the head and training genes (optimizer and rate together), then repair.
 */
export function crossoverGenomes(a: CnnGenome, b: CnnGenome, limits: SpaceLimits, rng: Rng): CnnGenome {
  const cutA = rng.int(1, a.blocks.length);
  const cutB = rng.int(0, b.blocks.length - 1);
  const blocks = [...a.blocks.slice(0, cutA), ...b.blocks.slice(cutB)].slice(0, limits.maxBlocks);
  const from = (): CnnGenome => (rng.bool() ? a : b);
  const head = from().head;
  // an optimizer comes with its own rate: the two are one gene for crossover
  const { optimizer, learningRate } = from().training;
  const { batchSize } = from().training;
  const { epochs } = from().training;
  const { schedule } = from().training;
  return repairGenome(
    {
      blocks,
      head,
      training: { learningRate, batchSize, optimizer, epochs, ...(schedule ? { schedule } : {}) },
    },
    limits,
  );
}
