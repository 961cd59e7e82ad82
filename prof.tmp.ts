import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './src/lib/model/wasm/register';
import { referenceCnn } from './src/lib/measure/trainbench';
registerWasmTrainingKernels();
await tf.setBackend('wasm'); await tf.ready();
const model = referenceCnn(7);
const opt = tf.train.adam(1e-3);
const x = tf.randomUniform([64, 28, 28, 1]); const y = tf.oneHot(tf.randomUniform([64], 0, 10, 'int32'), 10).toFloat();
const step = () => opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
for (let i = 0; i < 3; i++) (step()).dispose();
const totals = new Map<string, number>();
const t0 = performance.now();
const N = 10;
for (let i = 0; i < N; i++) {
  const p = await tf.profile(() => { step().dispose(); });
  for (const k of p.kernels) totals.set(k.name, (totals.get(k.name) ?? 0) + (k.kernelTimeMs as number));
}
console.log('ms/step (profiled)', ((performance.now() - t0) / N).toFixed(1));
const t1 = performance.now();
for (let i = 0; i < N; i++) step().dispose();
console.log('ms/step', ((performance.now() - t1) / N).toFixed(1));
console.log([...totals].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, v]) => `${k}:${(v / N).toFixed(2)}`).join(' '));
