import { proxy, wrap, type Remote } from 'comlink';
import type { SearchApi } from '../../../workers/search.worker';
import type { RunEventListener } from '../run/events';
import type { CandidateRecord, RunConfig, RunRecord, RunStatus } from '../run/records';

/** The page's only way into the search: a lazily started worker behind Comlink. */
export class SearchClient {
  #api: Remote<SearchApi> | null = null;

  #worker(): Remote<SearchApi> {
    this.#api ??= wrap<SearchApi>(new Worker(new URL('../../../workers/search.worker.ts', import.meta.url), { type: 'module', name: 'search' }));
    return this.#api;
  }

  listRuns(): Promise<RunRecord[]> {
    return this.#worker().listRuns();
  }

  runDetail(runId: string): Promise<{ run: RunRecord | undefined; candidates: CandidateRecord[] }> {
    return this.#worker().runDetail(runId);
  }

  start(config: RunConfig, onEvent: RunEventListener): Promise<string> {
    return this.#worker().start(config, proxy(onEvent));
  }

  resume(runId: string, onEvent: RunEventListener): Promise<void> {
    return this.#worker().resume(runId, proxy(onEvent));
  }

  waitForEnd(): Promise<RunStatus | null> {
    return this.#worker().waitForEnd();
  }

  pause(): Promise<RunStatus | null> {
    return this.#worker().interrupt('paused');
  }

  stop(): Promise<RunStatus | null> {
    return this.#worker().interrupt('stopped');
  }

  deleteRun(runId: string): Promise<void> {
    return this.#worker().deleteRun(runId);
  }
}
