import { describe, expect, it } from 'vitest';
import { formatBytes, formatTime, pickLang, translator } from '../src/i18n';

describe('pickLang', () => {
  it('takes the first Dutch or English candidate, else Dutch', () => {
    expect(pickLang('en', 'nl', 'nl')).toBe('en');
    expect(pickLang(undefined, 'nl-BE', 'en-US')).toBe('nl');
    expect(pickLang('fr', 'de', 'en-GB')).toBe('en');
    expect(pickLang(null, '', 'de-DE')).toBe('nl');
  });
});

describe('translator', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(translator('nl')('typing', { name: 'Sanne' })).toBe('Sanne is aan het typen…');
    expect(translator('en')('typing', { name: 'Sanne' })).toBe('Sanne is typing…');
    expect(translator('en')('typing')).toBe('{name} is typing…');
  });
});

describe('formatting', () => {
  it('formats times in the language, with a date when not today', () => {
    const now = new Date('2026-03-10T15:00:00');
    expect(formatTime(new Date('2026-03-10T09:05:00').toISOString(), 'nl', now)).toBe('09:05');
    expect(formatTime(new Date('2026-03-09T09:05:00').toISOString(), 'nl', now)).toMatch(/9 mrt/);
    expect(formatTime('nonsense', 'en', now)).toBe('');
  });
  it('formats sizes', () => {
    expect(formatBytes(500, 'nl')).toBe('500 B');
    expect(formatBytes(1536, 'nl')).toBe('1,5 KB');
    expect(formatBytes(10 * 1024 * 1024, 'en')).toBe('10 MB');
  });
});
