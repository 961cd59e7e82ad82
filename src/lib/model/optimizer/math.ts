import type { AdamAttrs, MomentumAttrs } from './kernels';

/**
 * Adam (Kingma & Ba 2015) over flat arrays, the arithmetic of tfjs' AdamOptimizer in one pass: `state` holds the
 * first moments then the second moments (2n values); `outValue` and `outState` may not alias the inputs.
 */
export function adamUpdate(
  value: Float32Array,
  gradient: Float32Array,
  state: Float32Array,
  outValue: Float32Array,
  outState: Float32Array,
  a: AdamAttrs,
): void {
  const n = value.length;
  const { beta1, beta2, epsilon, correction1, correction2 } = a;
  const step = -a.learningRate;
  for (let i = 0; i < n; i++) {
    const g = gradient[i]!;
    const m = state[i]! * beta1 + g * (1 - beta1);
    const v = state[n + i]! * beta2 + g * g * (1 - beta2);
    outState[i] = m;
    outState[n + i] = v;
    outValue[i] = value[i]! + step * (m / correction1 / (Math.sqrt(v / correction2) + epsilon));
  }
}

/** SGD with momentum as tfjs' MomentumOptimizer (not Nesterov): v = momentum * v + g; p = p - lr * v. */
export function momentumUpdate(
  value: Float32Array,
  gradient: Float32Array,
  state: Float32Array,
  outValue: Float32Array,
  outState: Float32Array,
  a: MomentumAttrs,
): void {
  const step = -a.learningRate;
  for (let i = 0; i < value.length; i++) {
    const v = a.momentum * state[i]! + gradient[i]!;
    outState[i] = v;
    outValue[i] = value[i]! + step * v;
  }
}
