import type { Rng } from '../core/rng';
import { sampleBatchSize, sampleBlockLayers, sampleLearningRate } from './genes';
import { layerStride } from './graph';
import { repairGenome } from './repair';
import type { Block, CnnGenome, LayerGene, SpaceLimits } from './types';

/** The side a sampled network's last map is brought down to: a quarter of the input's, at least 4. */
const targetSide = (side: number): number => Math.max(4, Math.ceil(side / 4));

const sideAfter = (layers: readonly LayerGene[], side: number): number => layers.reduce((s, l) => Math.ceil(s / layerStride(l)), side);

/** The block's layers with one more downsampling: a 2x2 pool at its end where there is room, else a strided first convolution. */
function withDownsampling(layers: LayerGene[], limits: SpaceLimits, rng: Rng): LayerGene[] {
  if (layers.length < limits.maxLayersPerBlock) return [...layers, { kind: 'pool', mode: rng.bool(0.8) ? 'max' : 'avg', size: 2 }];
  const at = layers.findIndex((l) => (l.kind === 'conv' || l.kind === 'sepconv') && l.stride === 1);
  return at < 0 ? layers : layers.map((l, i) => (i === at ? { ...l, stride: 2 as const } : l));
}

/** Above the target side: the last block always downsamples once more, another block mostly when it does not at all. */
function wantsDownsampling(sideOut: number, sideIn: number, target: number, last: boolean, rng: Rng): boolean {
  if (sideOut <= target) return false;
  return last || (sideOut === sideIn && rng.bool(0.8));
}

/**
 * A random valid genome: 1-3 blocks of 1-3 layers, training genes from their priors. While the map is above a
 * quarter of the input's side, a block that does not downsample mostly gets a pool, and the last block gets
 * one if the map is still large: without that most random networks keep the full resolution, and the FLOP cap
 * then leaves them so few filters that they do not learn in a budget of minutes (half of them, measured).
 */
export function sampleGenome(limits: SpaceLimits, rng: Rng): CnnGenome {
  const blockCount = rng.int(1, Math.min(3, limits.maxBlocks));
  const blocks: Block[] = [];
  const target = targetSide(Math.min(limits.height, limits.width));
  let side = Math.min(limits.height, limits.width);
  for (let b = 0; b < blockCount; b++) {
    let layers = sampleBlockLayers(rng, limits.maxLayersPerBlock);
    const last = b === blockCount - 1;
    for (let tries = 0; tries < 2 && wantsDownsampling(sideAfter(layers, side), side, target, last, rng); tries++) {
      layers = withDownsampling(layers, limits, rng);
    }
    side = sideAfter(layers, side);
    blocks.push({ layers, skip: rng.bool(0.3) });
  }
  // Adam learns more of these networks in a few epochs than SGD with momentum does (README, "Training genes")
  const optimizer = rng.bool(0.85) ? 'adam' : 'sgd';
  return repairGenome(
    {
      blocks,
      head: rng.bool() ? 'gap' : 'flatten',
      training: {
        optimizer,
        learningRate: sampleLearningRate(optimizer, rng),
        batchSize: sampleBatchSize(rng),
        epochs: rng.int(1, limits.maxEpochs),
        schedule: 'warmup-cosine',
      },
    },
    limits,
  );
}
