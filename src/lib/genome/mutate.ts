import type { Rng } from '../core/rng';
import { DROPOUT_RATES, LEARNING_RATE_RANGES, rateForSwitch, sampleAnyLayer, sampleBlockLayers, stepInGrid } from './genes';
import { repairGenome } from './repair';
import { ACTIVATIONS, BATCH_SIZES, FILTERS, KERNELS, type Block, type CnnGenome, type LayerGene, type SpaceLimits, type TrainingGenes } from './types';

export type MutationKind = 'add-layer' | 'remove-layer' | 'change-layer' | 'toggle-skip' | 'add-block' | 'remove-block' | 'change-head' | 'change-training';

const MUTATION_WEIGHTS: readonly (readonly [MutationKind, number])[] = [
  ['add-layer', 15],
  ['remove-layer', 10],
  ['change-layer', 30],
  ['toggle-skip', 7],
  ['add-block', 6],
  ['remove-block', 5],
  ['change-head', 5],
  ['change-training', 22],
];

const other = <T>(items: readonly T[], current: T, rng: Rng): T => rng.pick(items.filter((v) => v !== current));

/** One gene of a layer changed: width, kernel, stride or activation; a batch norm becomes another layer. */
export function changeLayer(layer: LayerGene, rng: Rng): LayerGene {
  switch (layer.kind) {
    case 'conv':
    case 'sepconv': {
      const gene = rng.pick(['filters', 'filters', 'kernel', 'stride', 'activation', 'kind'] as const);
      if (gene === 'filters') return { ...layer, filters: stepInGrid(FILTERS, layer.filters, rng) };
      if (gene === 'kernel') return { ...layer, kernel: other(KERNELS, layer.kernel, rng) };
      if (gene === 'stride') return { ...layer, stride: layer.stride === 1 ? 2 : 1 };
      if (gene === 'kind') return { ...layer, kind: layer.kind === 'conv' ? 'sepconv' : 'conv' };
      return { ...layer, activation: other([...ACTIVATIONS, 'linear'] as const, layer.activation, rng) };
    }
    case 'pool':
      return rng.bool() ? { ...layer, mode: layer.mode === 'max' ? 'avg' : 'max' } : { ...layer, size: layer.size === 2 ? 3 : 2 };
    case 'dropout':
      return { ...layer, rate: stepInGrid(DROPOUT_RATES, layer.rate, rng) };
    case 'activation':
      return { ...layer, fn: other(ACTIVATIONS, layer.fn, rng) };
    case 'batchnorm':
      return sampleAnyLayer(rng);
  }
}

function changeTraining(t: TrainingGenes, limits: SpaceLimits, rng: Rng): TrainingGenes {
  switch (rng.pick(['learningRate', 'learningRate', 'batchSize', 'optimizer', 'epochs', 'schedule'] as const)) {
    case 'learningRate':
      return { ...t, learningRate: stepInGrid(LEARNING_RATE_RANGES[t.optimizer], t.learningRate, rng) };
    case 'batchSize':
      return { ...t, batchSize: stepInGrid(BATCH_SIZES, t.batchSize, rng) };
    case 'optimizer': {
      const optimizer = t.optimizer === 'adam' ? 'sgd' : 'adam';
      return { ...t, optimizer, learningRate: rateForSwitch(optimizer, t.learningRate) };
    }
    case 'schedule':
      return { ...t, schedule: (t.schedule ?? 'constant') === 'constant' ? 'warmup-cosine' : 'constant' };
    case 'epochs':
      return {
        ...t,
        epochs:
          limits.maxEpochs === 1
            ? 1
            : stepInGrid(
                Array.from({ length: limits.maxEpochs }, (_, i) => i + 1),
                t.epochs,
                rng,
              ),
      };
  }
}

/** Applies one mutation of the given kind; returns null when it does not apply to this genome. */
export function applyMutation(g: CnnGenome, kind: MutationKind, limits: SpaceLimits, rng: Rng): CnnGenome | null {
  const blocks: Block[] = g.blocks.slice();
  const b = rng.int(0, blocks.length - 1);
  const block = blocks[b]!;
  const withBlock = (layers: LayerGene[], skip = block.skip): CnnGenome => {
    blocks[b] = { layers, skip };
    return { ...g, blocks };
  };
  switch (kind) {
    case 'add-layer': {
      if (block.layers.length >= limits.maxLayersPerBlock) return null;
      const layers = block.layers.slice();
      layers.splice(rng.int(0, layers.length), 0, sampleAnyLayer(rng));
      return withBlock(layers);
    }
    case 'remove-layer': {
      if (block.layers.length <= 1) return null;
      const layers = block.layers.slice();
      layers.splice(rng.int(0, layers.length - 1), 1);
      return withBlock(layers);
    }
    case 'change-layer': {
      if (block.layers.length === 0) return null; // repair can empty a block (e.g. to meet the size limits)
      const layers = block.layers.slice();
      const l = rng.int(0, layers.length - 1);
      layers[l] = changeLayer(layers[l]!, rng);
      return withBlock(layers);
    }
    case 'toggle-skip':
      return withBlock(block.layers.slice(), !block.skip);
    case 'add-block':
      if (blocks.length >= limits.maxBlocks) return null;
      blocks.splice(rng.int(0, blocks.length), 0, { layers: sampleBlockLayers(rng, limits.maxLayersPerBlock), skip: rng.bool(0.3) });
      return { ...g, blocks };
    case 'remove-block':
      if (blocks.length <= 1) return null;
      blocks.splice(b, 1);
      return { ...g, blocks };
    case 'change-head':
      return { ...g, head: g.head === 'gap' ? 'flatten' : 'gap' };
    case 'change-training':
      return { ...g, training: changeTraining(g.training, limits, rng) };
  }
}

/** One random applicable mutation, then repair; the result may rarely equal the parent after repair. */
export function mutateGenome(g: CnnGenome, limits: SpaceLimits, rng: Rng): CnnGenome {
  for (let attempt = 0; attempt < 10; attempt++) {
    const next = applyMutation(g, rng.weighted(MUTATION_WEIGHTS), limits, rng);
    if (next) return repairGenome(next, limits);
  }
  return repairGenome({ ...g, training: changeTraining(g.training, limits, rng) }, limits);
}
