import type { KernelInstance, KernelKind } from './runtimeKernels';

/** One kernel as tfjs' profiler reports it inside a network: its name, shapes and own time (ms). */
export interface ProfiledKernel {
  readonly name: string;
  readonly inputShapes: readonly (readonly number[] | null)[];
  readonly outputShapes: readonly (readonly number[] | null)[];
  readonly ms: number;
}

/** tfjs kernel names (CPU and WASM backends) and the kind each runs as. */
export const KIND_OF_NAME: Readonly<Record<string, KernelKind>> = {
  FusedConv2D: 'conv',
  Conv2D: 'pointwise',
  DepthwiseConv2dNative: 'depthwise',
  _FusedMatMul: 'matmul',
  MaxPool: 'maxPool',
  AvgPool: 'avgPool',
  Mean: 'mean',
  FusedBatchNorm: 'batchNorm',
  Relu: 'relu',
  Minimum: 'minimum',
  Multiply: 'multiply',
  Sigmoid: 'sigmoid',
  Elu: 'elu',
  Add: 'add',
  Cast: 'cast',
  Softmax: 'softmax',
  Reshape: 'view',
  Identity: 'view',
};

const elements = (shape: readonly number[] | null | undefined): number => (shape ?? []).reduce((a, b) => a * b, 1);

/** Whether a profiled kernel is `ours`: the same kind, output size and (for the multiplying kinds) input and filter. */
function isKernel(p: ProfiledKernel, kind: KernelKind, ours: KernelInstance): boolean {
  if (ours.kind !== kind) return false;
  if (kind === 'view') return true; // reshapes of weights and of outputs cost alike: each stands for the others
  if (ours.outElements !== elements(p.outputShapes[0])) return false;
  if (kind !== 'conv' && kind !== 'depthwise' && kind !== 'pointwise') return true;
  const filter = p.inputShapes[1] ?? [];
  return elements(p.inputShapes[0]) === ours.inElements && filter[0] === ours.window && (kind === 'depthwise' ? filter[2] : filter[3]) === ours.lanes;
}

/**
 * Each of `kernels`' own time from a profile of the network that runs them (ms, aligned with `kernels`), or null
 * where the profile holds a kernel this model does not know or misses one (then the network counts only as a
 * whole). Op wrappers (`*__op`, which time the kernels inside them again) and predict's own input Slice and
 * output Identity are left out; kernels are matched by kind and shape, since tfjs may run parallel branches in
 * another order than the genome lists them.
 */
export function alignKernelTimes(kernels: readonly KernelInstance[], profile: readonly ProfiledKernel[]): number[] | null {
  const body = profile.filter((p) => !p.name.endsWith('__op'));
  if (body[0]?.name === 'Slice') body.shift();
  if (body.at(-1)?.name === 'Identity') body.pop();
  if (body.length !== kernels.length) return null;
  const times = new Array<number>(kernels.length).fill(NaN);
  for (const p of body) {
    const kind = KIND_OF_NAME[p.name];
    if (!kind) return null;
    const i = kernels.findIndex((k, j) => Number.isNaN(times[j]!) && isKernel(p, kind, k));
    if (i < 0) return null;
    times[i] = p.ms;
  }
  return times;
}
