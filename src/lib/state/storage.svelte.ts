import { getContext, setContext } from 'svelte';

/** This origin's storage: usage, quota and whether the browser promised to keep it (persistent storage). */
export class StorageStore {
  usage = $state<number | null>(null);
  quota = $state<number | null>(null);
  persisted = $state<boolean | null>(null);
  readonly supported = typeof navigator !== 'undefined' && !!navigator.storage?.estimate;

  async refresh(): Promise<void> {
    if (!this.supported) return;
    const estimate = await navigator.storage.estimate();
    this.usage = estimate.usage ?? null;
    this.quota = estimate.quota ?? null;
    this.persisted = (await navigator.storage.persisted?.()) ?? null;
  }

  /** Asks the browser not to evict this app's data under storage pressure (Safari evicts after 7 idle days otherwise). */
  async persist(): Promise<void> {
    this.persisted = (await navigator.storage.persist?.()) ?? false;
    await this.refresh();
  }
}

const KEY = Symbol('storage-store');
export const provideStorageStore = (store: StorageStore): StorageStore => setContext(KEY, store);
export const useStorageStore = (): StorageStore => getContext<StorageStore>(KEY);
