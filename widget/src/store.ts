// localStorage under `hoorn.<channelId>.<key>`. Storage can be blocked (privacy settings, some
// embedded browsers); the widget then still works, it just forgets on reload.
export class Store {
  constructor(private readonly prefix: string) {}

  get(key: string): string | null {
    try {
      return localStorage.getItem(this.prefix + key);
    } catch {
      return null;
    }
  }

  set(key: string, value: string | null | undefined): void {
    try {
      if (value == null) localStorage.removeItem(this.prefix + key);
      else localStorage.setItem(this.prefix + key, value);
    } catch {
      // full or blocked
    }
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
