/// <reference lib="webworker" />
import { expose, transfer } from 'comlink';
import type { CnnGenome, SpaceLimits } from '../src/lib/genome/types';
import { TrainingSession, type BackendOptions } from '../src/lib/evaluation/session';
import type { EvaluateProgress, EvaluateRequest } from '../src/lib/run/evaluator';
import type { RunConfig } from '../src/lib/run/records';
import { loadDataset } from './datasets';
import { loadProbe, saveProbe } from '../src/lib/store/probes';
import { ALIVE_MESSAGE, FATAL_KEY, type FatalMessage } from '../src/lib/evaluation/fatal';
import { throttled } from './throttle';

/** A failure that ends this worker whatever call is in flight goes to the owner outside Comlink. */
const session = new TrainingSession(
  loadDataset,
  (failure) => {
    const message: FatalMessage = { [FATAL_KEY]: failure };
    self.postMessage(message);
  },
  { load: loadProbe, save: saveProbe },
  () => self.postMessage(ALIVE_MESSAGE),
);

type BatchListener = (epoch: number, batch: number, batches: number) => void;
/** Every batch would flood the search worker on a fast GPU: throttled, but an epoch's last batch always goes. */
const batchProgress = (listener?: BatchListener): BatchListener => throttled(listener, (_epoch, batch, batches) => batch >= batches);

const api = {
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

export type TrainingApi = typeof api;
expose(api);
