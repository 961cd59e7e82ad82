import { assertNever } from '../core/assert';
import { opFlops, opParams, outputShape, type OpSpec, type Shape } from './ops';
import type { CnnGenome, LayerGene, SpaceLimits } from './types';

/** One op of a lowered genome; `inputs` index earlier nodes. */
export interface GraphNode {
  readonly name: string;
  readonly spec: OpSpec;
  readonly inputs: readonly number[];
  readonly inputShape: Shape;
  readonly shape: Shape;
  readonly params: number;
  readonly flops: number;
  /** [block, layer] of the gene this op came from; null for the input, projections, adds and the head. */
  readonly origin: readonly [number, number] | null;
}

export interface GraphSummary {
  readonly nodes: readonly GraphNode[];
  readonly params: number;
  readonly flops: number;
}

function layerSpec(layer: LayerGene): OpSpec {
  switch (layer.kind) {
    case 'conv':
      return { op: 'conv2d', filters: layer.filters, kernel: layer.kernel, stride: layer.stride, activation: layer.activation };
    case 'sepconv':
      return { op: 'separableConv2d', filters: layer.filters, kernel: layer.kernel, stride: layer.stride, activation: layer.activation };
    case 'pool':
      return { op: layer.mode === 'max' ? 'maxPool' : 'avgPool', size: layer.size, stride: 2 };
    case 'batchnorm':
      return { op: 'batchNorm' };
    case 'dropout':
      return { op: 'dropout', rate: layer.rate };
    case 'activation':
      return { op: 'activation', fn: layer.fn };
    default:
      return assertNever(layer, 'layer');
  }
}

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Lowers a genome to the exact op graph the model builder creates, with each op's shape, parameters and FLOPs.
 * Pure: params and FLOPs come from here, never from tfjs.
 */
export function lowerGenome(genome: CnnGenome, limits: SpaceLimits): GraphSummary {
  const nodes: GraphNode[] = [];
  const push = (name: string, spec: OpSpec, inputs: number[], origin: [number, number] | null = null): number => {
    const inputShape = inputs.length ? nodes[inputs[0]!]!.shape : [limits.height, limits.width, limits.channels];
    nodes.push({
      name,
      spec,
      inputs,
      inputShape,
      shape: outputShape(spec, inputShape),
      params: opParams(spec, inputShape),
      flops: opFlops(spec, inputShape),
      origin,
    });
    return nodes.length - 1;
  };
  let last = push('input', { op: 'input' }, []);
  genome.blocks.forEach((block, b) => {
    const blockInput = last;
    block.layers.forEach((layer, l) => {
      last = push(`b${b}_l${l}_${layer.kind}`, layerSpec(layer), [last], [b, l]);
    });
    if (block.skip && last !== blockInput) {
      let shortcut = blockInput;
      const from = nodes[blockInput]!.shape;
      const to = nodes[last]!.shape;
      if (!sameShape(from, to)) {
        // ceil(ceil(x/a)/b) = ceil(x/(ab)): one 1x1 conv strided by the block's total stride matches its output.
        const stride = block.layers.reduce((s, layer) => s * layerStride(layer), 1);
        shortcut = push(`b${b}_proj`, { op: 'conv2d', filters: to[2]!, kernel: 1, stride, activation: 'linear' }, [blockInput]);
      }
      last = push(`b${b}_add`, { op: 'add' }, [last, shortcut]);
    }
  });
  last = push(genome.head === 'gap' ? 'head_gap' : 'head_flatten', { op: genome.head === 'gap' ? 'globalAvgPool' : 'flatten' }, [last]);
  push('classifier', { op: 'dense', units: limits.classes }, [last]);
  return {
    nodes,
    params: nodes.reduce((s, n) => s + n.params, 0),
    flops: nodes.reduce((s, n) => s + n.flops, 0),
  };
}

/** How much a layer divides the spatial side by ("same" padding). */
export function layerStride(layer: LayerGene): number {
  switch (layer.kind) {
    case 'conv':
    case 'sepconv':
      return layer.stride;
    case 'pool':
      return 2;
    case 'batchnorm':
    case 'dropout':
    case 'activation':
      return 1;
    default:
      return assertNever(layer, 'layer');
  }
}
