import type { AppError } from '../core/result';
import { lowerGenome } from './graph';
import type { CnnGenome, SpaceLimits } from './types';

export type GenomeProblemCode = 'too-many-params' | 'too-many-flops' | 'no-blocks' | 'too-many-blocks' | 'block-too-long' | 'epochs-out-of-range';
export type GenomeProblem = AppError<GenomeProblemCode>;

/** What makes a genome invalid for these limits; empty when it is valid. `repairGenome` fixes all of these. */
export function validateGenome(genome: CnnGenome, limits: SpaceLimits): GenomeProblem[] {
  const problems: GenomeProblem[] = [];
  if (genome.blocks.length === 0) problems.push({ code: 'no-blocks', message: 'The network has no layers; add at least one block.' });
  if (genome.blocks.length > limits.maxBlocks) {
    problems.push({ code: 'too-many-blocks', message: `The network has ${genome.blocks.length} blocks; at most ${limits.maxBlocks} are allowed.` });
  }
  genome.blocks.forEach((b, i) => {
    if (b.layers.length > limits.maxLayersPerBlock) {
      problems.push({ code: 'block-too-long', message: `Block ${i + 1} has ${b.layers.length} layers; at most ${limits.maxLayersPerBlock} are allowed.` });
    }
  });
  const { epochs } = genome.training;
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > limits.maxEpochs) {
    problems.push({ code: 'epochs-out-of-range', message: `Epochs must be a whole number from 1 to ${limits.maxEpochs}; got ${epochs}.` });
  }
  if (problems.length === 0) {
    const { params, flops } = lowerGenome(genome, limits);
    if (flops > limits.maxFlops) {
      problems.push({
        code: 'too-many-flops',
        message: `One inference takes ${flops.toLocaleString('en')} FLOPs; the cap is ${limits.maxFlops.toLocaleString('en')}.`,
      });
    }
    if (params > limits.maxParams) {
      problems.push({
        code: 'too-many-params',
        message: `The network has ${params.toLocaleString('en')} parameters; the cap is ${limits.maxParams.toLocaleString('en')}.`,
      });
    }
  }
  return problems;
}
