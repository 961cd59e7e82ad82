/// <reference lib="webworker" />
import { proxy, wrap } from 'comlink';
import { DEFAULT_PROTOCOL } from '../src/lib/measure/protocol';
import type { FrontMeasurer } from '../src/lib/share/frontOnDevices';
import type { MeasureApi } from './measure.worker';

/**
 * A joined device measures a shared run's front the way "Compare devices" does on one device: in a fresh
 * measurement worker on the run's backend, with the run's number of timed inferences, then the worker ends.
 */
export const measureFrontHere: FrontMeasurer = async (items, limits, latencyRuns, backend) => {
  const worker = new Worker(new URL('./measure.worker.ts', import.meta.url), { type: 'module', name: 'measure-front' });
  try {
    const api = wrap<MeasureApi>(worker);
    await api.init(backend);
    return await api.remeasure(
      items,
      limits,
      { ...DEFAULT_PROTOCOL, runs: latencyRuns },
      proxy(() => undefined),
    );
  } finally {
    worker.terminate();
  }
};
