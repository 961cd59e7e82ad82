import { getKernel, Sum, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** The bias gradient of a convolution: dz summed over batch and pixels, one value per channel. */
export const BIAS_GRAD = 'EvonasBiasGrad';

type RunArgs = { inputs: { dy: TensorInfo }; backend: unknown; attrs: NamedAttrMap };

/** The bias gradient through a backend's own Sum over batch and pixels (WASM has a faster one: wasm/biasGrad.ts). */
export const sumBiasGradKernels = (backendNames: readonly string[]): KernelConfig[] =>
  backendNames.map((backendName) => ({
    kernelName: BIAS_GRAD,
    backendName,
    kernelFunc: (({ inputs, backend }: RunArgs) => {
      const sum = getKernel(Sum, backendName);
      if (!sum) throw new Error(`The ${backendName} backend has no Sum kernel.`);
      return (sum.kernelFunc as unknown as (a: unknown) => TensorInfo)({ inputs: { x: inputs.dy }, backend, attrs: { axis: [0, 1, 2], keepDims: false } });
    }) as unknown as KernelConfig['kernelFunc'],
  }));
