import type { Rng } from '../core/rng';
import type { OpSpec, Shape } from '../genome/ops';
import { ACTIVATIONS, FILTERS, KERNELS } from '../genome/types';
import type { CostKind } from './features';

/** One microbenchmark: an op and the input shape it is timed on. */
export interface GridPoint {
  readonly spec: OpSpec;
  readonly input: Shape;
}

export type GridSize = 'quick' | 'full';

const POINTS: Record<GridSize, Record<CostKind, number>> = {
  quick: { conv2d: 8, separableConv2d: 6, maxPool: 3, avgPool: 3, batchNorm: 3, activation: 3, add: 3, globalAvgPool: 3, dense: 3 },
  full: { conv2d: 48, separableConv2d: 36, maxPool: 12, avgPool: 12, batchNorm: 10, activation: 12, add: 10, globalAvgPool: 8, dense: 10 },
};

/**
 * Space-filling design over discrete levels (a Latin hypercube): each dimension cycles through its levels and
 * is shuffled on its own, so every level appears about equally often and combinations vary.
 */
function design<T extends Record<string, readonly unknown[]>>(levels: T, n: number, rng: Rng): { [K in keyof T]: T[K][number] }[] {
  const columns = Object.fromEntries(
    Object.entries(levels).map(([key, values]) => [key, rng.shuffled(Array.from({ length: n }, (_, i) => values[i % values.length]))]),
  ) as { [K in keyof T]: T[K][number][] };
  return Array.from({ length: n }, (_, i) => Object.fromEntries(Object.keys(levels).map((k) => [k, columns[k]![i]])) as { [K in keyof T]: T[K][number] });
}

/**
 * The designed grid of op instances for calibrating on inputs of `side` pixels: feature-map sides the
 * networks actually see (side, side/2, side/4, side/8), channel counts and every gene value of each op kind.
 */
export function calibrationGrid(size: GridSize, side: number, inputChannels: number, rng: Rng): GridPoint[] {
  const n = POINTS[size];
  const sides = [...new Set([side, Math.ceil(side / 2), Math.ceil(side / 4), Math.ceil(side / 8)])];
  const channels = [...new Set([inputChannels, 8, 16, 32, 64, 128])];
  const map = (s: number, c: number): Shape => [s, s, c];
  const convLevels = {
    side: sides,
    c: channels,
    filters: FILTERS.filter((f) => f % 8 === 0),
    kernel: KERNELS,
    stride: [1, 2],
    // every activation a genome uses: ReLU6, SiLU and ELU add kernels of their own after the convolution
    activation: [...ACTIVATIONS, 'linear'],
  } as const;
  const points: GridPoint[] = [];
  for (const op of ['conv2d', 'separableConv2d'] as const) {
    for (const d of design(convLevels, n[op], rng)) {
      points.push({ spec: { op, filters: d.filters, kernel: d.kernel, stride: d.stride, activation: d.activation }, input: map(d.side, d.c) });
    }
  }
  for (const op of ['maxPool', 'avgPool'] as const) {
    for (const d of design({ side: sides, c: channels, size: [2, 3] }, n[op], rng))
      points.push({ spec: { op, size: d.size, stride: 2 }, input: map(d.side, d.c) });
  }
  for (const d of design({ side: sides, c: channels }, n.batchNorm, rng)) points.push({ spec: { op: 'batchNorm' }, input: map(d.side, d.c) });
  for (const d of design({ side: sides, c: channels, fn: ACTIVATIONS }, n.activation, rng))
    points.push({ spec: { op: 'activation', fn: d.fn }, input: map(d.side, d.c) });
  for (const d of design({ side: sides, c: channels }, n.add, rng)) points.push({ spec: { op: 'add' }, input: map(d.side, d.c) });
  for (const d of design({ side: sides, c: channels }, n.globalAvgPool, rng)) points.push({ spec: { op: 'globalAvgPool' }, input: map(d.side, d.c) });
  const features = [16, 64, 256, 1024, 4096, side * side * 32];
  for (const d of design({ features, units: [10] }, n.dense, rng)) points.push({ spec: { op: 'dense', units: d.units }, input: [d.features] });
  return points;
}
