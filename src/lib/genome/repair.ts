import { DROPOUT_RATES, nearestInGrid, rateInRange } from './genes';
import { layerStride, lowerGenome } from './graph';
import { BATCH_SIZES, FILTERS, type Block, type CnnGenome, type LayerGene, type SpaceLimits } from './types';

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function clampLayer(layer: LayerGene): LayerGene {
  switch (layer.kind) {
    case 'conv':
    case 'sepconv':
      return { ...layer, filters: nearestInGrid(FILTERS, clamp(layer.filters, FILTERS[0], FILTERS[FILTERS.length - 1]!)) };
    case 'dropout':
      return { ...layer, rate: nearestInGrid(DROPOUT_RATES, clamp(layer.rate, DROPOUT_RATES[0], DROPOUT_RATES[DROPOUT_RATES.length - 1]!)) };
    default:
      return layer;
  }
}

const isConv = (l: LayerGene): boolean => l.kind === 'conv' || l.kind === 'sepconv';

/** Drops downsampling once the feature map is 1x1: a strided conv becomes stride 1, a pool is removed. */
function fixSpatial(blocks: Block[], side: number): Block[] {
  let s = side;
  return blocks.map((block) => {
    const layers: LayerGene[] = [];
    for (const layer of block.layers) {
      if (layerStride(layer) > 1 && s <= 1) {
        if (layer.kind === 'conv' || layer.kind === 'sepconv') layers.push({ ...layer, stride: 1 });
        continue;
      }
      s = Math.ceil(s / layerStride(layer));
      layers.push(layer);
    }
    return { ...block, layers };
  });
}

type ConvGene = Extract<LayerGene, { kind: 'conv' | 'sepconv' }>;

/** A cheaper version of a convolution: half the filters, else a 3x3 kernel; null at the minimum. */
function shrinkConv(layer: ConvGene): ConvGene | null {
  if (layer.filters > FILTERS[0]) return { ...layer, filters: nearestInGrid(FILTERS, layer.filters / 2) };
  if (layer.kernel > 3) return { ...layer, kernel: 3 };
  return null;
}

/** Convolutions by cost in `metric`, costliest first, as [block, layer] positions. */
function convsByCost(genome: CnnGenome, limits: SpaceLimits, metric: 'params' | 'flops'): (readonly [number, number])[] {
  return lowerGenome(genome, limits)
    .nodes.filter((n) => n.origin && (n.spec.op === 'conv2d' || n.spec.op === 'separableConv2d'))
    .sort((a, b) => b[metric] - a[metric])
    .map((n) => n.origin!);
}

function replaceLayer(genome: CnnGenome, [b, l]: readonly [number, number], layer: LayerGene | null): CnnGenome {
  const blocks = genome.blocks.slice();
  const layers = blocks[b]!.layers.slice();
  if (layer) layers[l] = layer;
  else layers.splice(l, 1);
  blocks[b] = { ...blocks[b]!, layers };
  return { ...genome, blocks: blocks.filter((block) => block.layers.length > 0) };
}

/** Narrower than this, a convolution is not halved to meet the FLOP cap while the network can downsample instead. */
const NARROW = 16;

/** The first stride-1 convolution still on a map larger than 4x4, made to stride 2 (a quarter of the FLOPs after it). */
function strideEarlier(genome: CnnGenome, limits: SpaceLimits): CnnGenome | null {
  let side = Math.min(limits.height, limits.width);
  for (let b = 0; b < genome.blocks.length; b++) {
    const layers = genome.blocks[b]!.layers;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l]!;
      if (side > 4 && (layer.kind === 'conv' || layer.kind === 'sepconv') && layer.stride === 1) return replaceLayer(genome, [b, l], { ...layer, stride: 2 });
      side = Math.ceil(side / layerStride(layer));
    }
  }
  return null;
}

/**
 * The cheapest change that lowers `metric`: shrink the costliest convolution that can shrink (for FLOPs, only
 * while it is wider than 16 filters; a narrower network downsamples earlier instead, keeping its width); else
 * drop the costliest one while another remains; else stride the first full-resolution one. Null when none applies.
 */
function shrinkCostliest(genome: CnnGenome, limits: SpaceLimits, metric: 'params' | 'flops'): CnnGenome | null {
  const convs = convsByCost(genome, limits, metric);
  if (metric === 'flops') {
    const costliest = convs[0] && (genome.blocks[convs[0][0]]!.layers[convs[0][1]] as ConvGene);
    const strided = costliest && costliest.filters <= NARROW ? strideEarlier(genome, limits) : null;
    if (strided) return strided;
  }
  for (const at of convs) {
    const shrunk = shrinkConv(genome.blocks[at[0]]!.layers[at[1]] as ConvGene);
    if (shrunk) return replaceLayer(genome, at, shrunk);
  }
  if (convs.length > 1) return replaceLayer(genome, convs[0]!, null);
  const only = convs[0] && (genome.blocks[convs[0][0]]!.layers[convs[0][1]] as ConvGene);
  if (only && only.stride === 1 && metric === 'flops' && Math.min(limits.height, limits.width) > 1)
    return replaceLayer(genome, convs[0]!, { ...only, stride: 2 });
  return null;
}

/**
 * Optimizer steps a candidate gets at least, where the training split allows: under ~100 steps (e.g. batch 64
 * for one epoch of 1,300 images: 21 steps) most networks of the space end near chance, whatever their rate.
 */
export const MIN_STEPS = 100;

/** Smaller batches, then more epochs, until the genome trains for MIN_STEPS (or can go no further). */
function enoughSteps(t: CnnGenome['training'], limits: SpaceLimits): CnnGenome['training'] {
  if (!limits.trainImages) return t;
  const steps = (b: number, e: number) => Math.ceil(limits.trainImages! / b) * e;
  let { batchSize, epochs } = t;
  while (steps(batchSize, epochs) < MIN_STEPS && batchSize > BATCH_SIZES[0]) batchSize = BATCH_SIZES[BATCH_SIZES.indexOf(batchSize) - 1]!;
  while (steps(batchSize, epochs) < MIN_STEPS && epochs < limits.maxEpochs) epochs++;
  return { ...t, batchSize, epochs };
}

/** Whether the flatten head's classifier holds more parameters than any convolution: then GAP is the cheapest cut. */
function headOutweighsConvs(genome: CnnGenome, limits: SpaceLimits): boolean {
  const nodes = lowerGenome(genome, limits).nodes;
  const convs = nodes.filter((n) => n.spec.op === 'conv2d' || n.spec.op === 'separableConv2d');
  return nodes.at(-1)!.params >= Math.max(0, ...convs.map((n) => n.params));
}

/** One step towards the parameter and FLOP caps, or null when the genome is within both (or cannot shrink). */
function shrinkStep(genome: CnnGenome, limits: SpaceLimits): CnnGenome | null {
  const { params, flops } = lowerGenome(genome, limits);
  const metric = params > limits.maxParams ? 'params' : flops > limits.maxFlops ? 'flops' : null;
  if (!metric) return null;
  if (metric === 'params' && genome.head === 'flatten' && headOutweighsConvs(genome, limits)) return { ...genome, head: 'gap' };
  const shrunk = shrinkCostliest(genome, limits, metric);
  if (shrunk) return shrunk;
  return genome.blocks.length > 1 ? { ...genome, blocks: genome.blocks.slice(0, -1) } : null;
}

/**
 * Makes any genome valid for `limits`: values snapped to their grids (the learning rate into its optimizer's range), sizes within bounds, enough optimizer steps (MIN_STEPS) where the training split's size is known, at least one
 * convolution, no downsampling of a 1x1 map, and parameters and FLOPs under their caps (flatten head ->
 * global pooling where the classifier is the heaviest layer, else narrower or smaller-kernel convolutions, then fewer blocks). Pure and deterministic.
 */
export function repairGenome(genome: CnnGenome, limits: SpaceLimits): CnnGenome {
  let blocks: Block[] = genome.blocks
    .map((b) => ({ skip: b.skip, layers: b.layers.slice(0, limits.maxLayersPerBlock).map(clampLayer) }))
    .filter((b) => b.layers.length > 0)
    .slice(0, limits.maxBlocks);
  if (!blocks.some((b) => b.layers.some(isConv))) {
    const conv: LayerGene = { kind: 'conv', filters: 16, kernel: 3, stride: 1, activation: 'relu' };
    blocks = blocks.length
      ? [{ ...blocks[0]!, layers: [conv, ...blocks[0]!.layers].slice(0, limits.maxLayersPerBlock) }, ...blocks.slice(1)]
      : [{ layers: [conv], skip: false }];
  }
  blocks = fixSpatial(blocks, Math.min(limits.height, limits.width));
  const t = genome.training;
  let repaired: CnnGenome = {
    blocks,
    head: genome.head,
    training: enoughSteps(
      {
        optimizer: t.optimizer,
        learningRate: rateInRange(t.optimizer, t.learningRate),
        batchSize: nearestInGrid(BATCH_SIZES, t.batchSize) as CnnGenome['training']['batchSize'],
        epochs: Math.round(clamp(t.epochs, 1, limits.maxEpochs)),
        ...(t.schedule ? { schedule: t.schedule } : {}),
      },
      limits,
    ),
  };
  for (let next = shrinkStep(repaired, limits); next; next = shrinkStep(repaired, limits)) repaired = next;
  return repaired;
}
