// localStorage under `hoorn.<channelId>.<key>`, through @hoorn/sdk's adapter: storage can be
// blocked (privacy settings, some embedded browsers); the widget then still works, it just
// forgets on reload. `storage` is the same place for the sdk's message queue.
import { localStorageAdapter, prefixed, type SyncStorage } from '@hoorn/sdk';

export class Store {
  readonly storage: SyncStorage;

  constructor(prefix: string) {
    this.storage = prefixed(localStorageAdapter(), prefix);
  }

  get(key: string): string | null {
    return this.storage.getItem(key);
  }

  set(key: string, value: string | null | undefined): void {
    if (value == null) this.storage.removeItem(key);
    else this.storage.setItem(key, value);
  }

  getJSON<T>(key: string, fallback: T): T {
    const raw = this.get(key);
    if (raw == null) return fallback;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return fallback;
    }
  }

  setJSON(key: string, value: unknown): void {
    this.set(key, JSON.stringify(value));
  }
}
