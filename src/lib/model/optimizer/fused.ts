import * as tf from '@tensorflow/tfjs';
import { getKernel, type NamedTensorMap } from '@tensorflow/tfjs-core';
import { FUSED_ADAM, FUSED_MOMENTUM, slot, type AdamAttrs, type MomentumAttrs } from './kernels';

type Gradients = NamedTensorMap | readonly { readonly name: string; readonly tensor: tf.Tensor }[];

/** Whether the current backend has the fused kernel (cpu, wasm and webgpu do). */
export const hasFusedKernel = (name: string): boolean => getKernel(name, tf.getBackend()) !== undefined;

/**
 * An optimizer whose whole update is one kernel call over every variable (instead of ~14 small kernels per
 * variable, which dominate a small CNN's step on WebGPU and cost ~2 ms on WASM). Subclasses say which kernel,
 * how large a variable's state is, and the attributes of this step.
 */
abstract class FusedOptimizer extends tf.Optimizer {
  readonly #state = new Map<string, tf.Variable>();

  protected abstract readonly kernel: string;
  /** Values of state per value of the variable (2 for Adam's two moments). */
  protected abstract readonly statePerValue: number;
  protected abstract stepAttrs(count: number): AdamAttrs | MomentumAttrs;

  override applyGradients(variableGradients: Gradients): void {
    const pairs = Array.isArray(variableGradients)
      ? (variableGradients as readonly { name: string; tensor: tf.Tensor }[]).map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients as NamedTensorMap);
    const live = pairs.filter(([, g]) => g != null);
    if (live.length === 0) return;
    const attrs = this.stepAttrs(live.length);
    tf.tidy(() => {
      const inputs: NamedTensorMap = {};
      const targets: [tf.Variable, tf.Variable][] = [];
      live.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name]!;
        let state = this.#state.get(name);
        if (!state) {
          state = tf.zeros(this.statePerValue === 1 ? value.shape : [this.statePerValue, value.size]).variable(false, `${name}/fused-state`);
          this.#state.set(name, state);
        }
        const s = slot(i);
        inputs[s.value] = value;
        inputs[s.gradient] = gradient;
        inputs[s.state] = state;
        targets.push([value, state]);
      });
      const outputs = tf.engine().runKernel(this.kernel, inputs, attrs) as unknown as tf.Tensor[];
      targets.forEach(([value, state], i) => {
        value.assign(outputs[2 * i]!);
        state.assign(outputs[2 * i + 1]!);
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    tf.dispose([...this.#state.values()]);
    this.#state.clear();
    super.dispose();
  }
}

/** Adam in one kernel per step; the same arithmetic as tf.train.adam (checked to 1e-5 in the unit tests). */
export class FusedAdam extends FusedOptimizer {
  static readonly className = 'EvonasFusedAdam';
  protected readonly kernel = FUSED_ADAM;
  protected readonly statePerValue = 2;
  /** beta^t for the coming step, as tfjs keeps it: a float32 multiplied by beta once per step. */
  #power1: number;
  #power2: number;

  constructor(
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = tf.backend().epsilon(),
  ) {
    super();
    this.#power1 = Math.fround(beta1);
    this.#power2 = Math.fround(beta2);
  }

  protected stepAttrs(count: number): AdamAttrs {
    const { learningRate, beta1, beta2, epsilon } = this;
    const attrs = { count, learningRate, beta1, beta2, epsilon, correction1: Math.fround(1 - this.#power1), correction2: Math.fround(1 - this.#power2) };
    this.#power1 = Math.fround(this.#power1 * Math.fround(beta1));
    this.#power2 = Math.fround(this.#power2 * Math.fround(beta2));
    return attrs;
  }

  override getConfig() {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** SGD with momentum in one kernel per step; the same arithmetic as tf.train.momentum (not Nesterov). */
export class FusedMomentum extends FusedOptimizer {
  static readonly className = 'EvonasFusedMomentum';
  protected readonly kernel = FUSED_MOMENTUM;
  protected readonly statePerValue = 1;

  constructor(
    public learningRate: number,
    readonly momentum: number,
  ) {
    super();
  }

  protected stepAttrs(count: number): MomentumAttrs {
    return { count, learningRate: this.learningRate, momentum: this.momentum };
  }

  override getConfig() {
    return { learningRate: this.learningRate, momentum: this.momentum };
  }
}
