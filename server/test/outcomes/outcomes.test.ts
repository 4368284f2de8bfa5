import { describe, expect, it } from 'vitest';
import { amountToCents, checkWrapUp, isIsoCurrency, outcomeSettingsSchema, parseSurveyAnswer, surveyQuestion, type DispositionRef } from '../../src/outcomes/outcomes.ts';

const codes: DispositionRef[] = [
  { code: 'bestelling-geplaatst', outcome: 'sale', active: true },
  { code: 'bezorgvraag', outcome: 'information', active: true },
  { code: 'overig', outcome: null, active: true },
  { code: 'oud', outcome: null, active: false },
];

describe('amounts', () => {
  it('reads major units with at most 2 decimals into cents', () => {
    expect(amountToCents(49.95)).toEqual({ cents: 4995 });
    expect(amountToCents('49,9')).toEqual({ cents: 4990 });
    expect(amountToCents('0')).toEqual({ cents: 0 });
    expect(amountToCents(12.5)).toEqual({ cents: 1250 });
    expect(amountToCents('7.000')).toEqual({ cents: 700 });
  });
  it('refuses negative, over-precise and non-numeric amounts', () => {
    expect(amountToCents(-1)).toEqual({ error: 'must not be negative' });
    expect(amountToCents(1.234)).toEqual({ error: 'has more than 2 decimals' });
    expect('error' in amountToCents('twaalf')).toBe(true);
    expect('error' in amountToCents(Number.NaN)).toBe(true);
  });
  it('knows ISO 4217 codes', () => {
    expect(isIsoCurrency('EUR')).toBe(true);
    expect(isIsoCurrency('JPY')).toBe(true);
    expect(isIsoCurrency('EUX')).toBe(false);
    expect(isIsoCurrency('eur')).toBe(false);
  });
});

describe('checkWrapUp', () => {
  it('takes the outcome the code implies and the workspace currency for an amount', () => {
    expect(checkWrapUp({ disposition: 'bestelling-geplaatst', amount: 49.95 }, codes, 'EUR')).toEqual({
      ok: { disposition: 'bestelling-geplaatst', outcome: 'sale', amountCents: 4995, currency: 'EUR', note: null },
    });
  });
  it('lets the agent name another outcome and currency', () => {
    expect(checkWrapUp({ disposition: 'overig', outcome: 'upsell', amount: '10', currency: 'usd', note: '  extra garantie ' }, codes, 'EUR')).toEqual({
      ok: { disposition: 'overig', outcome: 'upsell', amountCents: 1000, currency: 'USD', note: 'extra garantie' },
    });
  });
  it('keeps no currency without an amount', () => {
    expect(checkWrapUp({ disposition: 'bezorgvraag', currency: 'EUR' }, codes, 'EUR')).toMatchObject({ ok: { outcome: 'information', amountCents: null, currency: null } });
    expect(checkWrapUp({ disposition: 'overig' }, codes, 'EUR')).toMatchObject({ ok: { outcome: null } });
  });
  it('names the field that is wrong', () => {
    const field = (input: Parameters<typeof checkWrapUp>[0]) => {
      const result = checkWrapUp(input, codes, 'EUR');
      return 'error' in result ? result.error.field : 'ok';
    };
    expect(field({ disposition: 'onbekend' })).toBe('disposition');
    expect(field({ disposition: 'oud' })).toBe('disposition');
    expect(field({ disposition: 'overig', outcome: 'lottery' })).toBe('outcome');
    expect(field({ disposition: 'bestelling-geplaatst' })).toBe('amount');
    expect(field({ disposition: 'bezorgvraag', outcome: 'cross_sell' })).toBe('amount');
    expect(field({ disposition: 'bestelling-geplaatst', amount: -5 })).toBe('amount');
    expect(field({ disposition: 'bestelling-geplaatst', amount: 5.555 })).toBe('amount');
    expect(field({ disposition: 'bestelling-geplaatst', amount: 5, currency: 'EURO' })).toBe('currency');
    expect(field({ disposition: 'bestelling-geplaatst', amount: 5, currency: 'XYZ' })).toBe('currency');
  });
});

describe('survey answers', () => {
  it('reads a score tolerantly', () => {
    expect(parseSurveyAnswer('csat', { body: '  4 ' })).toBe(4);
    expect(parseSurveyAnswer('csat', { body: '5!' })).toBe(5);
    expect(parseSurveyAnswer('nps', { body: '8/10' })).toBe(8);
    expect(parseSurveyAnswer('nps', { body: '9 / 10.' })).toBe(9);
    expect(parseSurveyAnswer('nps', { body: '0' })).toBe(0);
    expect(parseSurveyAnswer('csat', { body: '3/5' })).toBe(3);
  });
  it('refuses what is not just a score in range', () => {
    expect(parseSurveyAnswer('csat', { body: '0' })).toBeNull();
    expect(parseSurveyAnswer('csat', { body: '6' })).toBeNull();
    expect(parseSurveyAnswer('csat', { body: '8/10' })).toBeNull();
    expect(parseSurveyAnswer('nps', { body: '11' })).toBeNull();
    expect(parseSurveyAnswer('csat', { body: 'ik heb nog een vraag over order 3' })).toBeNull();
    expect(parseSurveyAnswer('csat', { body: '4 pakketten zijn kwijt' })).toBeNull();
    expect(parseSurveyAnswer('csat', { body: '' })).toBeNull();
  });
  it('reads a survey button but not an old bot button', () => {
    expect(parseSurveyAnswer('csat', { body: '4', choice: 'survey:4' })).toBe(4);
    expect(parseSurveyAnswer('csat', { body: '1', choice: '1' })).toBeNull();
    expect(parseSurveyAnswer('csat', { body: '9', choice: 'survey:9' })).toBeNull();
  });
  it('asks with buttons on web chat and with the scale on text channels', () => {
    const csat = { enabled: true, kind: 'csat' as const, question: { nl: '', en: 'Rate us' }, windowHours: 24 };
    const chat = surveyQuestion(csat, 'nl', 'webchat');
    expect(chat.buttons?.map((b) => b.value)).toEqual(['survey:1', 'survey:2', 'survey:3', 'survey:4', 'survey:5']);
    expect(surveyQuestion(csat, null, 'sms').body).toContain('Antwoord met een cijfer van 1 tot 5');
    expect(surveyQuestion(csat, 'en', 'whatsapp').body).toBe('Rate us\nReply with a number from 1 to 5.');
    expect(surveyQuestion({ ...csat, kind: 'nps' }, 'nl', 'sms').body).toContain('van 0 tot 10');
    expect(surveyQuestion({ ...csat, kind: 'nps' }, 'nl', 'webchat').buttons).toHaveLength(11);
  });
  it('refuses survey settings for voice', () => {
    const settings = { wrapUp: { mode: 'optional', maxSeconds: 120 }, surveys: { voice: { enabled: true, kind: 'csat', question: { nl: '', en: '' }, windowHours: 1 } } };
    expect(outcomeSettingsSchema.safeParse(settings).success).toBe(false);
  });
});
