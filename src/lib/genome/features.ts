import { lowerGenome } from './graph';
import type { CnnGenome, SpaceLimits } from './types';

/**
 * A fixed-length numeric summary of a genome for surrogate models: depth and the mix of layer kinds, widths,
 * kernels, downsampling, skips, head and training genes, and log-size. Same genome, same vector.
 */
export function genomeFeatures(g: CnnGenome, limits: SpaceLimits): number[] {
  const layers = g.blocks.flatMap((b) => b.layers);
  const count = (kind: string) => layers.filter((l) => l.kind === kind).length;
  const convs = layers.flatMap((l) => (l.kind === 'conv' || l.kind === 'sepconv' ? [l] : []));
  const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
  const { params, flops } = lowerGenome(g, limits);
  return [
    g.blocks.length,
    layers.length,
    count('conv'),
    count('sepconv'),
    count('pool'),
    count('batchnorm'),
    count('dropout'),
    count('activation'),
    g.blocks.filter((b) => b.skip).length,
    mean(convs.map((c) => Math.log2(c.filters))),
    mean(convs.map((c) => c.kernel)),
    convs.filter((c) => c.stride === 2).length,
    g.head === 'gap' ? 1 : 0,
    Math.log10(g.training.learningRate),
    Math.log2(g.training.batchSize),
    g.training.optimizer === 'adam' ? 1 : 0,
    g.training.epochs / limits.maxEpochs,
    (g.training.schedule ?? 'constant') === 'constant' ? 0 : 1,
    Math.log10(params + 1),
    Math.log10(flops + 1),
  ];
}
