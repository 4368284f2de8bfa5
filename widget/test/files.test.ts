import { describe, expect, it } from 'vitest';
import { contrastText, EMAIL_RE, safeColor, typeAllowed, uuid } from '../src/files';

describe('typeAllowed', () => {
  const types = ['image/*', 'application/pdf', '.docx'];
  it('accepts exact types, wildcards and extensions', () => {
    expect(typeAllowed({ name: 'a.png', type: 'image/png' }, types)).toBe(true);
    expect(typeAllowed({ name: 'a.pdf', type: 'application/pdf' }, types)).toBe(true);
    expect(typeAllowed({ name: 'Brief.DOCX', type: '' }, types)).toBe(true);
  });
  it('refuses the rest, and treats an unknown type as octet-stream', () => {
    expect(typeAllowed({ name: 'x.exe', type: 'application/x-msdownload' }, types)).toBe(false);
    expect(typeAllowed({ name: 'x', type: '' }, ['application/pdf'])).toBe(false);
    expect(typeAllowed({ name: 'x', type: '' }, ['application/octet-stream'])).toBe(true);
  });
  it('allows everything when the list is empty', () => {
    expect(typeAllowed({ name: 'x.exe', type: 'application/x-msdownload' }, [])).toBe(true);
  });
});

describe('uuid', () => {
  it('makes v4 UUIDs, also without crypto.randomUUID', () => {
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(uuid()).toMatch(re);
    const original = crypto.randomUUID;
    try {
      (crypto as { randomUUID?: unknown }).randomUUID = undefined;
      const a = uuid();
      expect(a).toMatch(re);
      expect(uuid()).not.toBe(a);
    } finally {
      (crypto as { randomUUID?: unknown }).randomUUID = original;
    }
  });
});

describe('colours', () => {
  it('only lets hex colours through', () => {
    expect(safeColor('#0f766e')).toBe('#0f766e');
    expect(safeColor('#abc')).toBe('#abc');
    expect(safeColor('red;}*{display:none')).toBe('#2563eb');
    expect(safeColor(undefined)).toBe('#2563eb');
  });
  it('picks readable text', () => {
    expect(contrastText('#0f766e')).toBe('#ffffff');
    expect(contrastText('#ffd60a')).toBe('#111827');
    expect(contrastText('#fff')).toBe('#111827');
  });
});

it('checks email addresses loosely', () => {
  expect(EMAIL_RE.test('piet@example.nl')).toBe(true);
  expect(EMAIL_RE.test('piet@example')).toBe(false);
  expect(EMAIL_RE.test('piet @example.nl')).toBe(false);
});
