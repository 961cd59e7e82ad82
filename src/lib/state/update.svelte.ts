import { getContext, setContext } from 'svelte';
import { registerSW } from 'virtual:pwa-register';

/**
 * The service worker's side of the app: offline after the first visit, and a new version only when the user
 * says so (a reload would cut a running search short).
 */
export class UpdateStore {
  available = $state(false);
  offlineReady = $state(false);
  #apply: ((reload?: boolean) => Promise<void>) | null = null;

  start(): void {
    if (!('serviceWorker' in navigator)) return;
    this.#apply = registerSW({
      onNeedRefresh: () => (this.available = true),
      onOfflineReady: () => (this.offlineReady = true),
    });
  }

  /** Activates the waiting version and reloads; the caller makes sure no search is running. */
  apply(): void {
    void this.#apply?.(true);
  }
}

const KEY = Symbol('update-store');
export const provideUpdateStore = (store: UpdateStore): UpdateStore => setContext(KEY, store);
export const useUpdateStore = (): UpdateStore => getContext<UpdateStore>(KEY);
