import { describe, expect, it } from 'vitest';
import { signatureHeader, signatureOf, verifySignature } from '../../src/automation/signing.ts';

const body = '{"type":"conversation.created","id":"evt_1"}';

describe('webhook signatures', () => {
  it('is HMAC-SHA256 of "<timestamp>.<body>" (vector computed with Python’s hmac module)', () => {
    expect(signatureOf('whsec_test', 1764000000, body)).toBe('53e6e2b90259760f00cff320f39e279104a277bec026e942a957af30e66af306');
    expect(signatureHeader(['whsec_test'], 1764000000_123, body)).toBe('t=1764000000,v1=53e6e2b90259760f00cff320f39e279104a277bec026e942a957af30e66af306');
  });

  it('verifies within the tolerance, and refuses an old, altered, malformed or wrongly keyed delivery', () => {
    const header = signatureHeader(['whsec_test'], 1764000000_000, body);
    expect(verifySignature(header, 'whsec_test', body, 1764000100_000)).toEqual({ ok: true, timestamp: 1764000000 });
    expect(verifySignature(header, 'whsec_test', body, 1764000301_000)).toEqual({ ok: false, reason: 'too-old' });
    expect(verifySignature(header, 'whsec_test', body.replace('evt_1', 'evt_2'), 1764000000_000)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(header, 'whsec_other', body, 1764000000_000)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature('v1=abc', 'whsec_test', body, 1764000000_000)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('signs with both secrets while one is rotated, and either verifies', () => {
    const header = signatureHeader(['new', 'old'], 1764000000_000, body);
    expect(header.split(',')).toHaveLength(3);
    expect(verifySignature(header, 'new', body, 1764000000_000).ok).toBe(true);
    expect(verifySignature(header, 'old', body, 1764000000_000).ok).toBe(true);
  });
});
