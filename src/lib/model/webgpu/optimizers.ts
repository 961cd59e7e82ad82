import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { FUSED_ADAM, FUSED_MOMENTUM, slot, type AdamAttrs, type MomentumAttrs } from '../optimizer/kernels';

type Uniform = { type: 'float32' | 'int32'; data: number[] };

/**
 * One elementwise pass over a variable, written in WGSL against tfjs' program conventions (inputs P, G, S as
 * arrays, `setOutputAtIndex`, `uniforms.size`). tfjs binds one output per dispatch, so a variable takes two:
 * one for its new value, one for its new state.
 */
class UpdateProgram implements WebGPUProgram {
  readonly variableNames: string[];
  readonly workgroupSize: [number, number, number] = [64, 1, 1];
  readonly size = true;
  readonly outputShape: number[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  shaderKey: string;

  constructor(
    readonly name: string,
    outputSize: number,
    readonly uniforms: string,
    inputs: readonly string[],
    private readonly body: string,
  ) {
    this.variableNames = [...inputs];
    this.outputShape = [outputSize];
    this.dispatchLayout = webgpu_util.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
    this.shaderKey = name;
  }

  getUserCode(): string {
    return `fn main(index : i32) {\n  if (index < uniforms.size) {\n${this.body}\n  }\n}`;
  }
}

const ADAM_UNIFORMS = 'n : i32, step : f32, beta1 : f32, beta2 : f32, epsilon : f32, correction1 : f32, correction2 : f32,';
const adamUniforms = (n: number, a: AdamAttrs): Uniform[] => [
  { type: 'int32', data: [n] },
  ...[-a.learningRate, a.beta1, a.beta2, a.epsilon, a.correction1, a.correction2].map((v): Uniform => ({ type: 'float32', data: [v] })),
];
const ADAM_MOMENTS = `    let g = G[index % uniforms.n];
    let m = S[index % uniforms.n] * uniforms.beta1 + g * (1.0 - uniforms.beta1);
    let v = S[uniforms.n + index % uniforms.n] * uniforms.beta2 + g * g * (1.0 - uniforms.beta2);`;

const adamValue = (n: number) =>
  new UpdateProgram(
    'evonasAdamValue',
    n,
    ADAM_UNIFORMS,
    ['P', 'G', 'S'],
    `${ADAM_MOMENTS}
    setOutputAtIndex(index, P[index] + uniforms.step * ((m / uniforms.correction1) / (sqrt(v / uniforms.correction2) + uniforms.epsilon)));`,
  );
const adamState = (n: number) =>
  new UpdateProgram(
    'evonasAdamState',
    2 * n,
    ADAM_UNIFORMS,
    ['G', 'S'],
    `${ADAM_MOMENTS}
    setOutputAtIndex(index, select(v, m, index < uniforms.n));`,
  );

const MOMENTUM_UNIFORMS = 'step : f32, momentum : f32,';
const momentumUniforms = (a: MomentumAttrs): Uniform[] => [
  { type: 'float32', data: [-a.learningRate] },
  { type: 'float32', data: [a.momentum] },
];
const momentumValue = (n: number) =>
  new UpdateProgram(
    'evonasMomentumValue',
    n,
    MOMENTUM_UNIFORMS,
    ['P', 'G', 'S'],
    `    setOutputAtIndex(index, P[index] + uniforms.step * (uniforms.momentum * S[index] + G[index]));`,
  );
const momentumState = (n: number) =>
  new UpdateProgram('evonasMomentumState', n, MOMENTUM_UNIFORMS, ['G', 'S'], `    setOutputAtIndex(index, uniforms.momentum * S[index] + G[index]);`);

type Args<A> = { inputs: NamedTensorInfoMap; backend: WebGPUBackend; attrs: A };

/** Runs the value and state programs of every variable; outputs in the order the optimizer assigns them. */
function update(
  inputs: NamedTensorInfoMap,
  count: number,
  backend: WebGPUBackend,
  programs: (n: number) => [WebGPUProgram, WebGPUProgram],
  uniforms: (n: number) => Uniform[],
): TensorInfo[] {
  const outputs: TensorInfo[] = [];
  for (let i = 0; i < count; i++) {
    const s = slot(i);
    const [p, g, st] = [inputs[s.value]!, inputs[s.gradient]!, inputs[s.state]!];
    const n = p.shape.reduce((a, b) => a * b, 1);
    const [valueProgram, stateProgram] = programs(n);
    // the programs index flat arrays; the outputs keep the shapes of what they replace
    outputs.push(
      backend.runWebGPUProgram(valueProgram, [p, g, st], 'float32', uniforms(n), backend.makeTensorInfo([...p.shape], 'float32')),
      backend.runWebGPUProgram(stateProgram, [g, st], 'float32', uniforms(n), backend.makeTensorInfo([...st.shape], 'float32')),
    );
  }
  return outputs;
}

export const webgpuOptimizerKernels: KernelConfig[] = [
  {
    kernelName: FUSED_ADAM,
    backendName: 'webgpu',
    kernelFunc: (({ inputs, backend, attrs }: Args<AdamAttrs>) =>
      update(
        inputs,
        attrs.count,
        backend,
        (n) => [adamValue(n), adamState(n)],
        (n) => adamUniforms(n, attrs),
      )) as unknown as KernelConfig['kernelFunc'],
  },
  {
    kernelName: FUSED_MOMENTUM,
    backendName: 'webgpu',
    kernelFunc: (({ inputs, backend, attrs }: Args<MomentumAttrs>) =>
      update(
        inputs,
        attrs.count,
        backend,
        (n) => [momentumValue(n), momentumState(n)],
        () => momentumUniforms(attrs),
      )) as unknown as KernelConfig['kernelFunc'],
  },
];
