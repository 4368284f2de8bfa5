// Where the client keeps its session and its unsent messages. Any key-value store fits: the
// browser's localStorage (sync), React Native's AsyncStorage (async), or memory (the default).

export interface KeyValueStorage {
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** A storage whose answers come back at once (localStorage, memory). */
export interface SyncStorage extends KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Keeps everything in this process; gone on restart. */
export function memoryStorage(initial?: Record<string, string>): SyncStorage & { readonly data: Map<string, string> } {
  const data = new Map<string, string>(Object.entries(initial ?? {}));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The browser's localStorage. Storage can be blocked (privacy settings, some embedded browsers)
 * or full: reads then answer null and writes are dropped, so the client still works, it just
 * forgets on reload.
 */
export function localStorageAdapter(target?: WebStorage): SyncStorage {
  const store = (): WebStorage | undefined => {
    try {
      return target ?? (globalThis as { localStorage?: WebStorage }).localStorage;
    } catch {
      return undefined; // reading window.localStorage itself throws when blocked
    }
  };
  return {
    getItem(key) {
      try {
        return store()?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    setItem(key, value) {
      try {
        store()?.setItem(key, value);
      } catch {
        // full or blocked
      }
    },
    removeItem(key) {
      try {
        store()?.removeItem(key);
      } catch {
        // blocked
      }
    },
  };
}

/** localStorage when the platform has a working one, else memory. */
export function defaultStorage(): KeyValueStorage {
  try {
    const ls = (globalThis as { localStorage?: WebStorage }).localStorage;
    if (ls) {
      const probe = '__hoorn_probe__';
      ls.setItem(probe, '1');
      ls.removeItem(probe);
      return localStorageAdapter(ls);
    }
  } catch {
    // blocked: fall through
  }
  return memoryStorage();
}

/** Every key under one prefix (`hoorn.<channelId>.`), so several channels share one storage. */
export function prefixed<S extends KeyValueStorage>(storage: S, prefix: string): S {
  return {
    ...storage,
    getItem: (key: string) => storage.getItem(prefix + key),
    setItem: (key: string, value: string) => storage.setItem(prefix + key, value),
    removeItem: (key: string) => storage.removeItem(prefix + key),
  } as S;
}
