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
      // apply() reloads; the plugin's own reload only happens in a tab that had a worker when it opened
      onNeedReload: () => undefined,
    });
  }

  /**
   * Activates the waiting version and reloads once it controls the page; the caller makes sure no search is
   * running. (A tab opened before any service worker existed would otherwise keep running the old code.)
   */
  apply(): void {
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    void this.#apply?.(true);
  }
}

const KEY = Symbol('update-store');
export const provideUpdateStore = (store: UpdateStore): UpdateStore => setContext(KEY, store);
export const useUpdateStore = (): UpdateStore => getContext<UpdateStore>(KEY);
