/// <reference lib="webworker" />
import { expose } from 'comlink';
import { TrainingSession, type BackendOptions } from '../src/lib/model/session';
import type { EvaluateProgress, EvaluateRequest } from '../src/lib/run/evaluator';
import type { RunConfig } from '../src/lib/run/records';
import { FATAL_KEY, type FatalMessage } from './fatal';

/** A failure that ends this worker whatever call is in flight goes to the owner outside Comlink. */
const session = new TrainingSession(new URL(`${import.meta.env.BASE_URL}datasets/`, self.location.href).href, (failure) => {
  const message: FatalMessage = { [FATAL_KEY]: failure };
  self.postMessage(message);
});

/** Progress messages at most this often: every batch would flood the search worker on a fast GPU. */
const PROGRESS_INTERVAL_MS = 200;

const api = {
  prepare: (config: RunConfig, options: BackendOptions) => session.prepare(config, options),
  evaluate(request: EvaluateRequest, progress: EvaluateProgress) {
    let last = 0;
    return session.evaluate(request, {
      onBatch(epoch, batch, batches) {
        const now = performance.now();
        if (now - last < PROGRESS_INTERVAL_MS && batch < batches) return;
        last = now;
        void progress.onBatch(epoch, batch, batches);
      },
      onEpoch: (log) => void progress.onEpoch(log),
    });
  },
  memory: () => session.memory(),
};

export type TrainingApi = typeof api;
expose(api);
