import { transfer } from 'comlink';
import { throttled } from '../core/throttle';
import type { CnnGenome, SpaceLimits } from '../genome/types';
import type { RunConfig } from '../records';
import type { EvaluateProgress, EvaluateRequest } from '../run/evaluator';
import type { BackendOptions, TrainingSession } from './session';

type BatchListener = (epoch: number, batch: number, batches: number) => void;
/** Every batch would flood the search worker on a fast GPU: throttled, but an epoch's last batch always goes. */
const batchProgress = (listener?: BatchListener): BatchListener => throttled(listener, (_epoch, batch, batches) => batch >= batches);

/**
 * What a training worker exposes over Comlink (workers/train.worker.ts), defined here so the pool that
 * starts those workers types them without importing the worker.
 */
export function trainingApi(session: TrainingSession) {
  return {
    prepare: (config: RunConfig, options: BackendOptions) => session.prepare(config, options),
    evaluate(request: EvaluateRequest, progress: EvaluateProgress) {
      return session.evaluate(request, {
        onBatch: batchProgress((epoch, batch, batches) => void progress.onBatch(epoch, batch, batches)),
        onEpoch: (log) => void progress.onEpoch(log),
      });
    },
    async exportModel(genome: CnnGenome, limits: SpaceLimits, seed: number, onBatch?: BatchListener) {
      const exported = await session.exportModel(genome, limits, seed, { onBatch: batchProgress(onBatch) });
      return transfer(exported, [exported.weights]);
    },
    /** A full retrain (see TrainingSession.retrainFull), with progress as (epoch, batch, batches) now and then. */
    async retrainFull(config: RunConfig, genome: CnnGenome, limits: SpaceLimits, seed: number, onBatch: BatchListener) {
      const result = await session.retrainFull(config, genome, limits, seed, { onBatch: batchProgress(onBatch) });
      return transfer(result, [result.model.weights]);
    },
    memory: () => session.memory(),
  };
}

export type TrainingApi = ReturnType<typeof trainingApi>;
