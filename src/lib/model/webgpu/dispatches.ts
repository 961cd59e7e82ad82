import * as tf from '@tensorflow/tfjs';

/** The slice of tfjs' WebGPU backend the counter wraps (its class is not exported as a type we can import). */
interface RecordingBackend {
  recordAndSubmit(program: { constructor: { name: string } }, ...rest: unknown[]): void;
}

/** Dispatches recorded while a counter is open, by program name. */
export interface DispatchCount {
  readonly total: number;
  readonly byProgram: Readonly<Record<string, number>>;
}

/**
 * Counts the compute dispatches tfjs' WebGPU backend records (one per `recordAndSubmit`) until `stop()`, which
 * restores the backend. Returns null on other backends. Small CNNs are dispatch-bound on WebGPU: this is the
 * figure the training-step work is judged by.
 */
export function countDispatches(): { stop: () => DispatchCount } | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as RecordingBackend;
  const original = backend.recordAndSubmit;
  const byProgram: Record<string, number> = {};
  let total = 0;
  backend.recordAndSubmit = function (this: RecordingBackend, program, ...rest) {
    total++;
    byProgram[program.constructor.name] = (byProgram[program.constructor.name] ?? 0) + 1;
    return original.call(this, program, ...rest);
  };
  return {
    stop() {
      backend.recordAndSubmit = original;
      return { total, byProgram: { ...byProgram } };
    },
  };
}
