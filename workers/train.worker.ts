/// <reference lib="webworker" />
import { expose } from 'comlink';
import { TrainingSession } from '../src/lib/evaluation/session';
import { trainingApi } from '../src/lib/evaluation/trainingApi';
import { loadDataset } from './datasets';
import { loadProbe, saveProbe } from '../src/lib/store/probes';
import { ALIVE_MESSAGE, FATAL_KEY, type FatalMessage } from '../src/lib/evaluation/fatal';

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

const api = trainingApi(session);
export type TrainingApi = typeof api;
expose(api);
