import type { Rng } from '../core/rng';
import { sampleBatchSize, sampleBlockLayers, sampleLearningRate } from './genes';
import { layerStride, lowerGenome } from './graph';
import { repairGenome } from './repair';
import { FILTERS, type Block, type CnnGenome, type LayerGene, type SpaceLimits } from './types';

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

/** Features the classifier reads per class, at least: fewer, and most networks of the space end near chance. */
const FEATURES_PER_CLASS = 2;

/**
 * The genome with its last convolution widened until the classifier reads FEATURES_PER_CLASS x classes
 * features (a GAP head over 8 channels cannot tell 10 classes apart in a few epochs: measured, README).
 */
function wideEnoughHead(genome: CnnGenome, limits: SpaceLimits): CnnGenome {
  const nodes = lowerGenome(genome, limits).nodes;
  const map = nodes[nodes.length - 2]!.inputShape;
  const perFilter = genome.head === 'flatten' ? map[0]! * map[1]! : 1;
  const needed = FILTERS.find((f) => f * perFilter >= FEATURES_PER_CLASS * limits.classes) ?? FILTERS[FILTERS.length - 1]!;
  for (let b = genome.blocks.length - 1; b >= 0; b--) {
    const layers = genome.blocks[b]!.layers;
    let at = layers.length - 1;
    while (at >= 0 && layers[at]!.kind !== 'conv' && layers[at]!.kind !== 'sepconv') at--;
    if (at < 0) continue;
    const conv = layers[at] as Extract<LayerGene, { kind: 'conv' | 'sepconv' }>;
    if (conv.filters >= needed) return genome;
    const blocks = genome.blocks.map((block, i) =>
      i === b ? { ...block, layers: layers.map((l, j) => (j === at ? { ...conv, filters: needed } : l)) } : block,
    );
    return { ...genome, blocks };
  }
  return genome;
}

/**
 * A random valid genome: 1-3 blocks of 1-3 layers, training genes from their priors. While the map is above a
 * quarter of the input's side, a block that does not downsample mostly gets a pool, and the last block gets
 * one if the map is still large: without that most random networks keep the full resolution, and the FLOP cap
 * then leaves them so few filters that they do not learn in a budget of minutes (half of them, measured).
 * Flatten heads are the prior (4 in 5), and the last convolution is wide enough for the classes: under 30%
 * accuracy, GAP heads were 13 of 56 candidates and flatten heads 5 of 88 (3 seeds x 2 datasets).
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
  const head = rng.bool(0.8) ? 'flatten' : 'gap';
  const repaired = repairGenome(
    wideEnoughHead(
      {
        blocks,
        head,
        training: {
          optimizer,
          learningRate: sampleLearningRate(optimizer, rng),
          batchSize: sampleBatchSize(rng),
          epochs: rng.int(1, limits.maxEpochs),
          schedule: 'warmup-cosine',
        },
      },
      limits,
    ),
    limits,
  );
  // the FLOP cap may have narrowed the last convolution again: widen it once more where the caps allow
  const widened = wideEnoughHead(repaired, limits);
  const { params, flops } = lowerGenome(widened, limits);
  return params <= limits.maxParams && flops <= limits.maxFlops ? widened : repaired;
}
