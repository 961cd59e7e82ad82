import type { Rng } from '../core/rng';

/** A small fully connected regressor: ReLU hidden layers, one linear output. Weights row-major per layer. */
export interface Mlp {
  readonly sizes: readonly number[];
  readonly weights: readonly Float64Array[];
  readonly biases: readonly Float64Array[];
}

export interface MlpOptions {
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty added to every weight's gradient (Adam with coupled weight decay). */
  readonly weightDecay: number;
}

/** Uniform(-1/sqrt(fan in), 1/sqrt(fan in)) weights and biases, the usual default for small dense layers. */
function initialise(sizes: readonly number[], rng: Rng): Mlp {
  const weights: Float64Array[] = [];
  const biases: Float64Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const bound = 1 / Math.sqrt(sizes[l]!);
    weights.push(Float64Array.from({ length: sizes[l]! * sizes[l + 1]! }, () => (2 * rng.next() - 1) * bound));
    biases.push(Float64Array.from({ length: sizes[l + 1]! }, () => (2 * rng.next() - 1) * bound));
  }
  return { sizes, weights, biases };
}

/** Activations of every layer for a batch (row-major, `n` rows); the last is the output column. */
function forward(m: Mlp, input: Float64Array, n: number): Float64Array[] {
  const acts = [input];
  for (let l = 0; l < m.weights.length; l++) {
    const [inDim, outDim] = [m.sizes[l]!, m.sizes[l + 1]!];
    const w = m.weights[l]!;
    const b = m.biases[l]!;
    const x = acts[l]!;
    const out = new Float64Array(n * outDim);
    const last = l === m.weights.length - 1;
    // input-major loops skip zero inputs: one-hot features and ReLU outputs are mostly zeros
    for (let r = 0; r < n; r++) {
      const row = r * outDim;
      for (let o = 0; o < outDim; o++) out[row + o] = b[o]!;
      for (let i = 0; i < inDim; i++) {
        const xi = x[r * inDim + i]!;
        if (xi === 0) continue;
        const wi = i * outDim;
        for (let o = 0; o < outDim; o++) out[row + o]! += xi * w[wi + o]!;
      }
      if (!last) for (let o = 0; o < outDim; o++) if (out[row + o]! < 0) out[row + o] = 0;
    }
    acts.push(out);
  }
  return acts;
}

/** Fits by full-batch Adam on the mean squared error (Kingma & Ba 2015, default betas). */
export function fitMlp(X: readonly (readonly number[])[], y: readonly number[], rng: Rng, o: MlpOptions): Mlp {
  const n = X.length;
  const m = initialise([X[0]?.length ?? 0, ...o.hidden, 1], rng);
  const input = Float64Array.from(X.flat());
  const params = [...m.weights, ...m.biases];
  const first = params.map((p) => new Float64Array(p.length));
  const second = params.map((p) => new Float64Array(p.length));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  for (let step = 1; step <= o.epochs; step++) {
    const grads = backward(m, forward(m, input, n), y, n);
    params.forEach((p, k) => {
      const g = grads[k]!;
      const isWeight = k < m.weights.length;
      const c1 = 1 - beta1 ** step;
      const c2 = 1 - beta2 ** step;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i]! + (isWeight ? o.weightDecay * p[i]! : 0);
        first[k]![i] = beta1 * first[k]![i]! + (1 - beta1) * gi;
        second[k]![i] = beta2 * second[k]![i]! + (1 - beta2) * gi * gi;
        p[i]! -= (o.learningRate * first[k]![i]!) / c1 / (Math.sqrt(second[k]![i]! / c2) + eps);
      }
    });
  }
  return m;
}

/** Gradients of the mean squared error: weights of every layer, then biases of every layer. */
function backward(m: Mlp, acts: readonly Float64Array[], y: readonly number[], n: number): Float64Array[] {
  const L = m.weights.length;
  const gw = m.weights.map((w) => new Float64Array(w.length));
  const gb = m.biases.map((b) => new Float64Array(b.length));
  let delta = Float64Array.from(acts[L]!, (v, r) => (2 * (v - y[r]!)) / n);
  for (let l = L - 1; l >= 0; l--) {
    const [inDim, outDim] = [m.sizes[l]!, m.sizes[l + 1]!];
    const x = acts[l]!;
    const w = m.weights[l]!;
    const prev = new Float64Array(n * inDim);
    for (let r = 0; r < n; r++) {
      const row = r * outDim;
      for (let o = 0; o < outDim; o++) gb[l]![o]! += delta[row + o]!;
      for (let i = 0; i < inDim; i++) {
        const xi = x[r * inDim + i]!;
        // a zero input adds no weight gradient; a zero ReLU output passes no gradient back
        if (xi === 0) continue;
        const wi = i * outDim;
        let back = 0;
        for (let o = 0; o < outDim; o++) {
          const d = delta[row + o]!;
          gw[l]![wi + o]! += xi * d;
          back += w[wi + o]! * d;
        }
        if (l > 0) prev[r * inDim + i] = back;
      }
    }
    delta = prev;
  }
  return [...gw, ...gb];
}

export function predictMlp(m: Mlp, rows: readonly (readonly number[])[]): number[] {
  const acts = forward(m, Float64Array.from(rows.flat()), rows.length);
  return Array.from(acts[acts.length - 1]!);
}
