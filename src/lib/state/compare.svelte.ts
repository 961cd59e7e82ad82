import type { SearchClient } from '../bridge/searchClient';
import { MeasureClient } from '../bridge/measureClient';
import type { PowerSource } from '../energy/energy';
import { DEFAULT_PROTOCOL } from '../measure/protocol';
import type { BackendPreference } from '../model/backend';
import { remeasureOf } from '../run/remeasure';
import type { OpenRun } from './openRun';

/** Re-measuring the open run's front on this device, to compare with the device that ran the search. */
export class DeviceCompare {
  progress = $state.raw<{ readonly done: number; readonly total: number; readonly startedAt: number } | null>(null);

  constructor(
    private readonly store: OpenRun,
    private readonly client: Pick<SearchClient, 'saveRemeasure'>,
  ) {}

  /** Measures every front candidate's latency here on `backend` and stores it with energy from `power`. */
  remeasureFront = (backend: BackendPreference, power: PowerSource): Promise<void> =>
    this.store.guard(async () => {
      const { run, candidates, front } = this.store;
      if (!run?.limits || this.progress) return;
      const items = candidates.filter((c) => front.has(c.id)).map((c) => ({ seq: c.seq, genome: c.genome }));
      const startedAt = Date.now();
      this.progress = { done: 0, total: items.length, startedAt };
      const measure = new MeasureClient();
      try {
        await measure.init(backend);
        const { manifest, results } = await measure.remeasure(items, run.limits, { ...DEFAULT_PROTOCOL, runs: run.config.latencyRuns }, (done) => {
          this.progress = { done, total: items.length, startedAt };
        });
        this.store.replaceRun(await this.client.saveRemeasure(run.id, remeasureOf(manifest, power, results, Date.now())));
      } finally {
        measure.close();
        this.progress = null;
      }
    });
}
