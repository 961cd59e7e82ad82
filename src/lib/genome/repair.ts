import { DROPOUT_RATES, LEARNING_RATES, nearestInGrid } from './genes';
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
  return lowerGenome(genome, limits).nodes
    .filter((n) => n.origin && (n.spec.op === 'conv2d' || n.spec.op === 'separableConv2d'))
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

/**
 * The cheapest change that lowers `metric`: shrink the costliest convolution that can shrink; else drop
 * the costliest one while another remains; else stride the first full-resolution one. Null when none applies.
 */
function shrinkCostliest(genome: CnnGenome, limits: SpaceLimits, metric: 'params' | 'flops'): CnnGenome | null {
  const convs = convsByCost(genome, limits, metric);
  for (const at of convs) {
    const shrunk = shrinkConv(genome.blocks[at[0]]!.layers[at[1]] as ConvGene);
    if (shrunk) return replaceLayer(genome, at, shrunk);
  }
  if (convs.length > 1) return replaceLayer(genome, convs[0]!, null);
  const only = convs[0] && (genome.blocks[convs[0][0]]!.layers[convs[0][1]] as ConvGene);
  if (only && only.stride === 1 && metric === 'flops' && Math.min(limits.height, limits.width) > 1) return replaceLayer(genome, convs[0]!, { ...only, stride: 2 });
  return null;
}

/** One step towards the parameter and FLOP caps, or null when the genome is within both (or cannot shrink). */
function shrinkStep(genome: CnnGenome, limits: SpaceLimits): CnnGenome | null {
  const { params, flops } = lowerGenome(genome, limits);
  const metric = params > limits.maxParams ? 'params' : flops > limits.maxFlops ? 'flops' : null;
  if (!metric) return null;
  if (metric === 'params' && genome.head === 'flatten') return { ...genome, head: 'gap' };
  const shrunk = shrinkCostliest(genome, limits, metric);
  if (shrunk) return shrunk;
  return genome.blocks.length > 1 ? { ...genome, blocks: genome.blocks.slice(0, -1) } : null;
}

/**
 * Makes any genome valid for `limits`: values snapped to their grids, sizes within bounds, at least one
 * convolution, no downsampling of a 1x1 map, and parameters and FLOPs under their caps (flatten head ->
 * global pooling, then narrower or smaller-kernel convolutions, then fewer blocks). Pure and deterministic.
 */
export function repairGenome(genome: CnnGenome, limits: SpaceLimits): CnnGenome {
  let blocks: Block[] = genome.blocks
    .map((b) => ({ skip: b.skip, layers: b.layers.slice(0, limits.maxLayersPerBlock).map(clampLayer) }))
    .filter((b) => b.layers.length > 0)
    .slice(0, limits.maxBlocks);
  if (!blocks.some((b) => b.layers.some(isConv))) {
    const conv: LayerGene = { kind: 'conv', filters: 16, kernel: 3, stride: 1, activation: 'relu' };
    blocks = blocks.length ? [{ ...blocks[0]!, layers: [conv, ...blocks[0]!.layers].slice(0, limits.maxLayersPerBlock) }, ...blocks.slice(1)] : [{ layers: [conv], skip: false }];
  }
  blocks = fixSpatial(blocks, Math.min(limits.height, limits.width));
  const t = genome.training;
  let repaired: CnnGenome = {
    blocks,
    head: genome.head,
    training: {
      optimizer: t.optimizer,
      learningRate: nearestInGrid(LEARNING_RATES, t.learningRate),
      batchSize: nearestInGrid(BATCH_SIZES, t.batchSize) as CnnGenome['training']['batchSize'],
      epochs: Math.round(clamp(t.epochs, 1, limits.maxEpochs)),
    },
  };
  for (let next = shrinkStep(repaired, limits); next; next = shrinkStep(repaired, limits)) repaired = next;
  return repaired;
}
