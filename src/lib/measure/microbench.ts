import * as tf from '@tensorflow/tfjs';
import type { Shape } from '../genome/ops';
import { outputShape } from '../genome/ops';
import type { GridPoint } from '../costmodel/grid';
import { makeLayer } from '../model/build';
import { measureModel, type LatencyProtocol } from './latency';

/**
 * A model of one op followed, for feature maps, by global average pooling: reading back the whole map would
 * charge the op for a transfer a network never makes; the pooling tail is timed alone and subtracted.
 */
function opModel(point: GridPoint): tf.LayersModel {
  const input = tf.input({ shape: [...point.input] });
  const layer = makeLayer(point.spec, 'op', 1);
  let out = layer.apply(point.spec.op === 'add' ? [input, input] : input) as tf.SymbolicTensor;
  if (outputShape(point.spec, point.input).length === 3) out = tf.layers.globalAveragePooling2d({}).apply(out) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function tailModel(shape: Shape): tf.LayersModel {
  const input = tf.input({ shape: [...shape] });
  return tf.model({ inputs: input, outputs: tf.layers.globalAveragePooling2d({}).apply(input) as tf.SymbolicTensor });
}

async function timeModel(model: tf.LayersModel, protocol: LatencyProtocol): Promise<number> {
  try {
    return (await measureModel(model, protocol)).medianMs;
  } finally {
    model.dispose();
  }
}

/** Times microbenchmarks, caching the pooling tail per output shape. */
export class MicroBench {
  readonly #tails = new Map<string, number>();

  constructor(private readonly protocol: LatencyProtocol) {}

  /** Median ms of the op alone (never below 1% of the raw time, so noise cannot make it free). */
  async time(point: GridPoint): Promise<number> {
    const raw = await timeModel(opModel(point), this.protocol);
    const out = outputShape(point.spec, point.input);
    if (out.length !== 3) return raw;
    const key = out.join('x');
    if (!this.#tails.has(key)) this.#tails.set(key, await timeModel(tailModel(out), this.protocol));
    return Math.max(raw * 0.01, raw - this.#tails.get(key)!);
  }
}
