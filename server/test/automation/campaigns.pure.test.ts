import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attributeMatches, customerTimeZone, effectiveRate, inSegment, isIanaTimeZone, isQuiet, zoneOfPhone, launchStatus, localMinuteOfDay, nextSendableAt, pacedSendTimes, segmentSchema, sendBudget, quietHoursSchema } from '../../src/automation/campaigns.ts';

const AMS = 'Europe/Amsterdam';
const at = (iso: string) => new Date(iso).getTime();
const candidate = (attributes: Record<string, unknown>, identity: { optedOut: boolean } | null = { optedOut: false }, erased = false) => ({ attributes, identity, erased });

describe('segments', () => {
  const seg = (s: unknown) => segmentSchema.parse(s);

  it('selects by value tier, churn risk and attribute equality, all of them at once', () => {
    const s = seg({ valueTiers: ['gold', 'platinum'], minChurnRisk: 0.5, attributes: { plan: 'pro' } });
    expect(inSegment(s, candidate({ valueTier: 'gold', churnRisk: 0.7, plan: 'pro' }))).toBe(true);
    expect(inSegment(s, candidate({ valueTier: 'silver', churnRisk: 0.7, plan: 'pro' }))).toBe(false);
    expect(inSegment(s, candidate({ valueTier: 'gold', churnRisk: 0.3, plan: 'pro' }))).toBe(false);
    expect(inSegment(s, candidate({ valueTier: 'gold', plan: 'pro' }))).toBe(false); // never scored
    expect(inSegment(s, candidate({ valueTier: 'gold', churnRisk: 0.5, plan: 'basic' }))).toBe(false);
    expect(inSegment(s, candidate({ valueTier: 'gold', churnRisk: 0.5, plan: 'pro' }))).toBe(true); // churnRisk >= x
  });

  it('an empty segment is everyone with an identity; hasIdentity off keeps the others (to be skipped)', () => {
    expect(inSegment(seg({}), candidate({}))).toBe(true);
    expect(inSegment(seg({}), candidate({}, null))).toBe(false);
    expect(inSegment(seg({ hasIdentity: false }), candidate({}, null))).toBe(true);
    // Erased customers have no identities left: they are listed (as erased), not dropped.
    expect(inSegment(seg({}), candidate({}, null, true))).toBe(true);
  });

  it('gives the reason a member is skipped at launch', () => {
    expect(launchStatus(candidate({}))).toBe('pending');
    expect(launchStatus(candidate({}, { optedOut: true }))).toBe('opted_out');
    expect(launchStatus(candidate({}, null))).toBe('no_identity');
    expect(launchStatus(candidate({}, null, true))).toBe('erased');
  });

  it('refuses bad segments and quiet hours', () => {
    expect(segmentSchema.safeParse({ minChurnRisk: 1.5 }).success).toBe(false);
    expect(segmentSchema.safeParse({ valueTiers: ['diamond'] }).success).toBe(false);
    expect(quietHoursSchema.safeParse({ start: '21:00', end: '21:00' }).success).toBe(false);
    expect(quietHoursSchema.safeParse({ start: '25:00', end: '09:00' }).success).toBe(false);
    expect(quietHoursSchema.safeParse({ start: '21:00', end: '09:00' }).success).toBe(true);
  });
});

describe('quiet hours in the workspace time zone', () => {
  const night = { start: '21:00', end: '09:00' };

  it('reads local wall-clock minutes (Amsterdam is UTC+1 in winter, +2 in summer)', () => {
    expect(localMinuteOfDay(at('2026-01-15T20:30:00Z'), AMS)).toBe(21 * 60 + 30);
    expect(localMinuteOfDay(at('2026-07-15T20:30:00Z'), AMS)).toBe(22 * 60 + 30);
  });

  it('knows a window over midnight and one within a day', () => {
    expect(isQuiet(at('2026-01-15T19:59:00Z'), night, AMS)).toBe(false); // 20:59 local
    expect(isQuiet(at('2026-01-15T20:00:00Z'), night, AMS)).toBe(true); // 21:00
    expect(isQuiet(at('2026-01-16T07:59:00Z'), night, AMS)).toBe(true); // 08:59
    expect(isQuiet(at('2026-01-16T08:00:00Z'), night, AMS)).toBe(false); // 09:00
    const lunch = { start: '12:00', end: '13:00' };
    expect(isQuiet(at('2026-01-15T11:30:00Z'), lunch, AMS)).toBe(true);
    expect(isQuiet(at('2026-01-15T12:00:00Z'), lunch, AMS)).toBe(false);
    expect(isQuiet(at('2026-01-15T11:30:00Z'), null, AMS)).toBe(false);
  });

  it('a send in quiet hours waits for their end, also over a change of the clocks', () => {
    expect(nextSendableAt(at('2026-01-15T21:30:00Z'), night, AMS)).toBe(at('2026-01-16T08:00:00Z'));
    expect(nextSendableAt(at('2026-01-15T10:00:00Z'), night, AMS)).toBe(at('2026-01-15T10:00:00Z'));
    // The night of 28 to 29 March 2026 is an hour shorter: 09:00 local is 07:00 UTC.
    expect(nextSendableAt(at('2026-03-28T21:00:00Z'), night, AMS)).toBe(at('2026-03-29T07:00:00Z'));
  });
});

describe('pacing', () => {
  it('spreads sends at the rate: one a minute, or 60/rate seconds apart', () => {
    const start = at('2026-01-15T10:00:00Z');
    expect(pacedSendTimes([AMS, AMS, AMS], start, 1, null)).toEqual([start, start + 60_000, start + 120_000]);
    expect(pacedSendTimes([AMS, AMS, AMS, AMS], start, 120, null)).toEqual([start, start + 500, start + 1000, start + 1500]);
  });

  it('sends that would fall in quiet hours move to their end and keep their spacing', () => {
    const start = at('2026-01-15T19:58:00Z'); // 20:58 local
    const times = pacedSendTimes(Array(4).fill(AMS), start, 1, { start: '21:00', end: '09:00' });
    expect(times).toEqual([start, start + 60_000, at('2026-01-16T08:00:00Z'), at('2026-01-16T08:01:00Z')]);
  });

  it('never exceeds the rate in any minute and never sends in quiet hours (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 86_400_000 }), (count, rate, offset) => {
        const quiet = { start: '21:00', end: '09:00' };
        const times = pacedSendTimes(Array(count).fill(AMS), at('2026-01-15T00:00:00Z') + offset, rate, quiet);
        expect(times.length).toBe(count);
        for (let i = 0; i < times.length; i++) {
          expect(isQuiet(times[i]!, quiet, AMS)).toBe(false);
          if (i >= rate) expect(times[i]! - times[i - rate]!).toBeGreaterThanOrEqual(60_000 - 1);
          if (i > 0) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the budget is what the last minute left of the rate', () => {
    expect(sendBudget(10, 3)).toBe(7);
    expect(sendBudget(1, 1)).toBe(0);
    expect(sendBudget(1, 5)).toBe(0);
  });
});

describe("quiet hours in the customer's own time zone", () => {
  const night = { start: '21:00', end: '09:00' };
  const NY = 'America/New_York';

  it('takes a valid timeZone attribute, else the phone number\'s country, else the workspace zone', () => {
    expect(customerTimeZone({ attributes: { timeZone: 'Asia/Tokyo' }, phone: '+31612345678' }, AMS)).toBe('Asia/Tokyo');
    expect(customerTimeZone({ attributes: { timeZone: 'Mars/Olympus' }, phone: '+31612345678' }, 'UTC')).toBe(AMS);
    expect(customerTimeZone({ attributes: { timeZone: 'UTC+5' }, phone: null }, AMS)).toBe(AMS);
    expect(customerTimeZone({ attributes: {}, phone: '+12125550100' }, AMS)).toBe(NY);
    expect(customerTimeZone({ attributes: {}, phone: '+447700900123' }, AMS)).toBe('Europe/London');
    expect(customerTimeZone({ attributes: {}, phone: '+5997654321' }, AMS)).toBe('America/Curacao'); // +599 before +59x
    expect(customerTimeZone({ attributes: {}, phone: '+81312345678' }, AMS)).toBe(AMS); // not in the table
    expect(customerTimeZone({ attributes: {}, phone: '0612345678' }, 'Europe/Brussels')).toBe('Europe/Brussels'); // not E.164
    expect(zoneOfPhone('+32470123456')).toBe('Europe/Brussels');
    expect(zoneOfPhone('+352621123456')).toBe('Europe/Luxembourg');
    expect(isIanaTimeZone('America/Argentina/Buenos_Aires')).toBe(true);
    expect(isIanaTimeZone('Nowhere/Land')).toBe(false);
  });

  it('holds a recipient in New York while one in Amsterdam goes (10:00 Amsterdam is 04:00 in New York)', () => {
    const start = at('2026-01-15T09:00:00Z');
    const times = pacedSendTimes([NY, AMS, AMS], start, 1, night);
    // New York's 09:00 is 14:00 UTC in winter; the Amsterdam ones take the first two minutes.
    expect(times).toEqual([at('2026-01-15T14:00:00Z'), start, start + 60_000]);
    expect(isQuiet(start, night, NY)).toBe(true);
    expect(isQuiet(start, night, AMS)).toBe(false);
  });

  it('follows each zone over its own change of the clocks (Amsterdam 29 March, New York 8 March 2026)', () => {
    // Sunday 8 March: New York went to summer time at 02:00, so its 09:00 is 13:00 UTC, not 14:00.
    expect(pacedSendTimes([NY], at('2026-03-08T05:00:00Z'), 1, night)).toEqual([at('2026-03-08T13:00:00Z')]);
    // Amsterdam is still on winter time then: 09:00 there is 08:00 UTC.
    expect(pacedSendTimes([AMS], at('2026-03-08T05:00:00Z'), 1, night)).toEqual([at('2026-03-08T08:00:00Z')]);
    // Saturday 28 March 21:00 UTC: 22:00 in Amsterdam (held until Sunday 09:00, which is 07:00 UTC
    // after the change), 17:00 in New York (goes now).
    expect(pacedSendTimes([AMS, NY], at('2026-03-28T21:00:00Z'), 1, night)).toEqual([at('2026-03-29T07:00:00Z'), at('2026-03-28T21:00:00Z')]);
  });

  it('mixed zones never exceed the rate in any minute and never send in a recipient\'s quiet hours (property)', () => {
    const zones = [AMS, NY, 'Europe/London', 'Asia/Tokyo'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...zones), { minLength: 1, maxLength: 150 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 86_400_000 }), (recipientZones, rate, offset) => {
        const times = pacedSendTimes(recipientZones, at('2026-01-15T00:00:00Z') + offset, rate, night);
        recipientZones.forEach((zone, i) => expect(isQuiet(times[i]!, night, zone)).toBe(false));
        const sorted = [...times].sort((a, b) => a - b);
        for (let i = rate; i < sorted.length; i++) expect(sorted[i]! - sorted[i - rate]!).toBeGreaterThanOrEqual(60_000 - 1);
        // Within one zone the order is kept.
        for (const zone of zones) {
          const own = times.filter((_, i) => recipientZones[i] === zone);
          for (let i = 1; i < own.length; i++) expect(own[i]!).toBeGreaterThan(own[i - 1]!);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('rates and attribute conditions', () => {
  it("the channel's rate holds; the campaign's own rate may only lower it", () => {
    expect(effectiveRate(null, null)).toBe(60);
    expect(effectiveRate(10, null)).toBe(10);
    expect(effectiveRate(10, 30)).toBe(10);
    expect(effectiveRate(10, 3)).toBe(3);
  });

  it('compares attributes by operator; a missing attribute meets only ne', () => {
    const attrs = { plan: 'Pro', orders: 12, city: 'Amsterdam', vip: true };
    expect(attributeMatches(attrs, { key: 'plan', op: 'eq', value: 'Pro' })).toBe(true);
    expect(attributeMatches(attrs, { key: 'orders', op: 'eq', value: '12' })).toBe(true);
    expect(attributeMatches(attrs, { key: 'plan', op: 'ne', value: 'Pro' })).toBe(false);
    expect(attributeMatches(attrs, { key: 'orders', op: 'gt', value: 10 })).toBe(true);
    expect(attributeMatches(attrs, { key: 'orders', op: 'lte', value: '11' })).toBe(false);
    expect(attributeMatches(attrs, { key: 'city', op: 'contains', value: 'dam' })).toBe(true);
    expect(attributeMatches(attrs, { key: 'city', op: 'gt', value: 3 })).toBe(false); // not a number
    expect(attributeMatches(attrs, { key: 'vip', op: 'exists' })).toBe(true);
    expect(attributeMatches(attrs, { key: 'missing', op: 'exists' })).toBe(false);
    expect(attributeMatches(attrs, { key: 'missing', op: 'ne', value: 'x' })).toBe(true);
    expect(attributeMatches(attrs, { key: 'missing', op: 'eq', value: 'x' })).toBe(false);
    const seg = segmentSchema.parse({ attributeConditions: [{ key: 'orders', op: 'gte', value: 10 }, { key: 'city', op: 'eq', value: 'Amsterdam' }] });
    expect(inSegment(seg, candidate(attrs))).toBe(true);
    expect(inSegment(seg, candidate({ ...attrs, orders: 2 }))).toBe(false);
  });
});

describe('campaign mail headers', () => {
  it('offers the one-click URL and a mailto:, and marks the mail auto-generated', async () => {
    const { listUnsubscribeHeaders } = await import('../../src/automation/campaigns.service.ts');
    expect(listUnsubscribeHeaders('https://hoorn.example/campaigns/unsubscribe?token=abc', { address: 'nieuws@winkel.nl' })).toEqual({
      'List-Unsubscribe': '<https://hoorn.example/campaigns/unsubscribe?token=abc>, <mailto:nieuws@winkel.nl?subject=unsubscribe>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    });
    expect(listUnsubscribeHeaders('https://h/u', {})['List-Unsubscribe']).toBe('<https://h/u>');
  });

  it('the e-mail adapter passes only the allowed headers of a message, one line each', async () => {
    const { messageHeaders } = await import('../../src/channels/email/email.send.ts');
    expect(
      messageHeaders({
        'List-Unsubscribe': '<https://h/u>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        From: 'someone@else.example',
        'Message-ID': '<forged@x>',
        'Auto-Submitted': 'auto-generated\r\nBcc: victim@example.com',
        Precedence: 7,
      }),
    ).toEqual({ 'List-Unsubscribe': '<https://h/u>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    expect(messageHeaders(null)).toEqual({});
  });
});
