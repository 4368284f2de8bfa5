import { describe, expect, it } from 'vitest';
import { localStorageAdapter, memoryStorage, prefixed } from '../src/index.js';

describe('storage adapters', () => {
  it('memory storage keeps values for this process', () => {
    const s = memoryStorage();
    expect(s.getItem('a')).toBeNull();
    s.setItem('a', '1');
    expect(s.getItem('a')).toBe('1');
    s.removeItem('a');
    expect(s.getItem('a')).toBeNull();
  });

  it('localStorage adapter works on a working store and swallows a blocked or full one', () => {
    const data = new Map<string, string>();
    const ok = localStorageAdapter({ getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) });
    ok.setItem('x', 'y');
    expect(ok.getItem('x')).toBe('y');
    const blocked = localStorageAdapter({
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    });
    expect(blocked.getItem('x')).toBeNull();
    expect(() => blocked.setItem('x', 'y')).not.toThrow();
    expect(() => blocked.removeItem('x')).not.toThrow();
  });

  it('a localStorage adapter without a localStorage (Node, React Native) answers null', () => {
    const none = localStorageAdapter();
    expect(none.getItem('x')).toBeNull();
    expect(() => none.setItem('x', 'y')).not.toThrow();
  });

  it('prefixes keys per channel', () => {
    const s = memoryStorage();
    const a = prefixed(s, 'hoorn.a.');
    a.setItem('token', 't');
    expect(s.data.get('hoorn.a.token')).toBe('t');
    expect(prefixed(s, 'hoorn.b.').getItem('token')).toBeNull();
  });
});
