import type { TensorInfo } from '@tensorflow/tfjs-core';
import { arrayOptimizerKernels } from '../optimizer/arrayKernel';

/** The slice of tfjs' CPU backend these kernels use (its class is not exported as a type we can import). */
interface CpuBackendView {
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
  data: { get(dataId: object): { values: unknown } };
}

/** Fused Adam and momentum on tfjs' CPU backend. */
export const cpuOptimizerKernels = arrayOptimizerKernels<CpuBackendView>('cpu', (backend) => ({
  allocate: (shape) => backend.makeTensorInfo([...shape], 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1))),
  view: (info) => backend.data.get(info.dataId).values as Float32Array,
}));
