import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IDENTITY_SETTINGS,
  decideMatch,
  identitySettingsSchema,
  matchKeys,
  normalizeEmail,
  normalizePhone,
  profileFill,
  type IdentitySettings,
} from '../../src/customers/identity.ts';

const withCustomerNumber: IdentitySettings = {
  defaultCountry: 'NL',
  rules: [...DEFAULT_IDENTITY_SETTINGS.rules, { kind: 'attribute', attribute: 'customerNumber', enabled: true, autoMerge: true }],
};
const facts = (over: Partial<Parameters<typeof matchKeys>[0]> = {}) => ({ email: null, phone: null, attributes: {}, identities: [], ...over });

describe('normalizing keys', () => {
  it('reads Dutch national and international numbers as one E.164 number', () => {
    for (const raw of ['06-12345678', '+31 6 1234 5678', '0031612345678', 'whatsapp:+31612345678', '(06) 123 456 78']) {
      expect(normalizePhone(raw, 'NL'), raw).toBe('+31612345678');
    }
    expect(normalizePhone('020 123 4567', 'NL')).toBe('+31201234567');
    expect(normalizePhone('0171 234567', 'BE')).toBe('+32171234567');
    expect(normalizePhone('12', 'NL')).toBeNull();
    expect(normalizePhone('bel me', 'NL')).toBeNull();
  });

  it('compares e-mail addresses without case or spaces, and ignores what is not an address', () => {
    expect(normalizeEmail('  Els.de.Vries@Example.NL ')).toBe('els.de.vries@example.nl');
    expect(normalizeEmail('els@')).toBeNull();
    expect(normalizeEmail('geen adres')).toBeNull();
  });
});

describe('match keys', () => {
  it('counts what a channel proves as strong and what was typed in as weak', () => {
    const keys = matchKeys(
      facts({
        email: 'els@example.nl',
        phone: '06 12345678',
        identities: [
          { channelType: 'whatsapp', externalId: '+31612345678', verified: true },
          { channelType: 'sms', externalId: '+31687654321', verified: false },
          { channelType: 'webchat', externalId: 'user:42', verified: true },
        ],
      }),
      DEFAULT_IDENTITY_SETTINGS,
    );
    expect(keys).toEqual([
      { rule: 'email', value: 'els@example.nl', strong: false },
      { rule: 'phone', value: '+31612345678', strong: true },
      { rule: 'phone', value: '+31687654321', strong: false },
    ]);
  });

  it('reads an attribute rule from the attributes, and skips disabled rules', () => {
    const keys = matchKeys(facts({ email: 'a@b.nl', attributes: { customerNumber: ' K-1001 ' } }), {
      ...withCustomerNumber,
      rules: withCustomerNumber.rules.map((r) => (r.kind === 'email' ? { ...r, enabled: false } : r)),
    });
    expect(keys).toEqual([{ rule: 'attribute:customerNumber', value: 'K-1001', strong: true }]);
  });
});

describe('deciding a match', () => {
  const strongPhone = [{ rule: 'phone', value: '+31612345678', strong: true }];
  const weakPhone = [{ rule: 'phone', value: '+31612345678', strong: false }];
  const email = [{ rule: 'email', value: 'els@example.nl', strong: false }];

  it('merges only when both hold the key strongly under a rule that allows it', () => {
    expect(decideMatch(strongPhone, strongPhone, DEFAULT_IDENTITY_SETTINGS)).toEqual({ action: 'merge', rule: 'phone', value: '+31612345678' });
    expect(decideMatch(strongPhone, weakPhone, DEFAULT_IDENTITY_SETTINGS)).toEqual({ action: 'suggest', rule: 'phone', value: '+31612345678' });
    const noAuto = { ...DEFAULT_IDENTITY_SETTINGS, rules: DEFAULT_IDENTITY_SETTINGS.rules.map((r) => ({ ...r, autoMerge: false })) };
    expect(decideMatch(strongPhone, strongPhone, noAuto).action).toBe('suggest');
    expect(decideMatch(email, email, DEFAULT_IDENTITY_SETTINGS).action).toBe('suggest');
    expect(decideMatch(email, strongPhone, DEFAULT_IDENTITY_SETTINGS).action).toBe('none');
  });

  it('never merges or suggests a pair a person kept apart', () => {
    expect(decideMatch(strongPhone, strongPhone, DEFAULT_IDENTITY_SETTINGS, true)).toEqual({ action: 'none' });
  });

  it('never merges on a weak key, whatever the keys (property)', () => {
    const key = fc.record({ rule: fc.constantFrom('email', 'phone'), value: fc.constantFrom('x', 'y'), strong: fc.boolean() });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 4 }), fc.array(key, { maxLength: 4 }), (a, b) => {
        const decision = decideMatch(a, b, DEFAULT_IDENTITY_SETTINGS);
        if (decision.action !== 'merge') return true;
        const shared = a.filter((k) => b.some((o) => o.rule === k.rule && o.value === k.value && o.strong && k.strong));
        return shared.length > 0 && decision.rule === 'phone';
      }),
    );
  });
});

describe('settings and merges', () => {
  it('validates rules with the field named', () => {
    const bad = identitySettingsSchema.safeParse({ defaultCountry: 'XX', rules: [{ kind: 'attribute', enabled: true, autoMerge: true }] });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('defaultCountry');
    expect(paths).toContain('rules.0.attribute');
    expect(identitySettingsSchema.safeParse({ defaultCountry: 'NL', rules: [DEFAULT_IDENTITY_SETTINGS.rules[0], DEFAULT_IDENTITY_SETTINGS.rules[0]] }).success).toBe(false);
  });

  it('takes over only the profile fields the survivor lacks', () => {
    expect(profileFill({ name: 'Els', email: null, phone: '+31612345678', language: null }, { name: 'E. de Vries', email: 'els@example.nl', phone: '+31600000000', language: 'nl' })).toEqual({
      email: 'els@example.nl',
      language: 'nl',
    });
  });
});
