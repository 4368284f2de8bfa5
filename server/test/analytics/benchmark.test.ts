import { describe, expect, it } from 'vitest';
import { loadBenchmarkFigures } from '../../src/analytics/benchmark.data.ts';
import { maturityQuestions, scoreMaturity, type MaturityAnswers } from '../../src/analytics/benchmark.maturity.ts';
import { buildBenchmarkReport, channelMix, channelOffering } from '../../src/analytics/benchmark.ts';
import type { KpiReport, Kpis } from '../../src/analytics/reports.ts';

const figures = loadBenchmarkFigures();

function kpis(overrides: Partial<Kpis> = {}): Kpis {
  // Cast: the KPI module may add figures; these tests need only the ones named here.
  const zero = {
    offered: 0, answered: 0, abandoned: 0, abandonRate: null, answeredInServiceLevel: 0, serviceLevel: null, averageSpeedOfAnswerSeconds: null,
    handled: 0, averageHandleTimeSeconds: null, averageAfterContactWorkSeconds: null, transfers: 0, transferRate: null,
    resolved: 0, firstContactResolution: null, averageFirstResponseSeconds: null, averageResolutionSeconds: null,
    selfServiceRuns: 0, selfServiceContained: 0, containmentRate: null, csatResponses: 0, csat: null, csatPercent: null, npsResponses: 0, nps: null,
    outcomes: 0, sales: 0, revenue: 0, revenuePerContact: null, staffedHours: 0, busyHours: 0, occupancy: null, cost: 0, costPerContact: null, margin: 0, slaBreaches: 0, conversations: 0,
  } as Kpis;
  return { ...zero, ...overrides };
}
const row = (key: string, k: Partial<Kpis>) => ({ bucket: null, key, label: key.toUpperCase(), kpis: kpis(k) });

describe('channel offering', () => {
  const offering = (types: Array<[string, boolean?]>) =>
    Object.fromEntries(channelOffering(types.map(([type, enabled = true]) => ({ type, enabled })), figures).map((r) => [r.id, r]));

  it('counts e-mail and web chat as internet customer service and internet queries, and web chat as web chat', () => {
    const o = offering([['email'], ['webchat']]);
    expect(o.internet_customer_service).toMatchObject({ offered: true, byChannelTypes: ['email', 'webchat'], reference: { value: 79.3 } });
    expect(o.internet_queries).toMatchObject({ offered: true, reference: { value: 64 } });
    expect(o.web_chat).toMatchObject({ offered: true, byChannelTypes: ['webchat'], reference: { value: 25 } });
    expect(o.social_media!.offered).toBe(false);
    expect(o.smartphone_apps!.offered).toBe(false);
    expect(o.sms).toMatchObject({ offered: false, reference: { value: 40 } });
  });

  it('counts the API (app) channel as smartphone apps and internet customer service, but not as internet queries', () => {
    const o = offering([['api']]);
    expect(o.smartphone_apps).toMatchObject({ offered: true, reference: { value: 19.2 } });
    expect(o.internet_customer_service!.offered).toBe(true);
    expect(o.internet_queries!.offered).toBe(false);
  });

  it('counts Messenger, Instagram, X and YouTube as social media; lists WhatsApp and voice without a reference figure', () => {
    for (const type of ['messenger', 'instagram', 'x', 'youtube']) expect(offering([[type]]).social_media, type).toMatchObject({ offered: true, reference: { value: 33.1 } });
    const o = offering([['whatsapp'], ['voice'], ['sms']]);
    expect(o.whatsapp).toMatchObject({ offered: true, reference: null });
    expect(o.voice).toMatchObject({ offered: true, reference: null });
    expect(o.sms!.offered).toBe(true);
  });

  it('ignores disabled channels', () => {
    const o = offering([['webchat', false], ['sms', false]]);
    expect(o.web_chat!.offered).toBe(false);
    expect(o.sms!.offered).toBe(false);
  });

  it('gives every reference its source', () => {
    for (const r of channelOffering([], figures)) if (r.reference) expect(r.reference.source).toContain('2011/2012');
  });
});

describe('channel mix', () => {
  it('shares contacts (conversations, self-service included) per channel, largest first, merging rows of one channel', () => {
    const mix = channelMix([row('webchat', { conversations: 30, offered: 25 }), row('email', { conversations: 50 }), row('voice', { conversations: 10 }), row('webchat', { conversations: 10 })]);
    expect(mix.map((m) => [m.channel, m.contacts])).toEqual([['email', 50], ['webchat', 40], ['voice', 10]]);
    expect(mix.map((m) => m.share)).toEqual([0.5, 0.4, 0.1]);
    expect(mix[1]!.label).toBe('WEBCHAT');
  });

  it('has no shares when there were no contacts', () => {
    expect(channelMix([row('email', {})])).toEqual([{ channel: 'email', label: 'EMAIL', contacts: 0, share: null }]);
  });
});

describe('benchmark report', () => {
  const period = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') };
  const report: KpiReport = {
    from: period.from.toISOString(), to: period.to.toISOString(), interval: 'total', groupBy: 'channel', timeZone: 'Europe/Amsterdam', currency: 'EUR',
    rows: [row('webchat', { conversations: 60 }), row('email', { conversations: 40 })],
    totals: kpis({ offered: 100, revenue: 2500, revenuePerContact: 25, cost: 1400, costPerContact: 14, margin: 1100, sales: 20, serviceLevel: 0.8 }),
  };

  it('sets profit-centre figures, the profit-centre answer and the maturity level beside the references', () => {
    const b = buildBenchmarkReport({
      ...period, channels: [{ type: 'webchat', enabled: true }], kpiReport: report, figures,
      latestAssessment: { level: 'learning', score: 50, runAsProfitCentre: true, assessedAt: new Date('2026-11-20T10:00:00Z') },
    });
    expect(b.kpis).toMatchObject({ available: true, currency: 'EUR', profitCentre: { revenue: 2500, revenuePerContact: 25, cost: 1400, margin: 1100, sales: 20 } });
    if (b.kpis.available) {
      expect(b.kpis.totals.serviceLevel).toBe(0.8);
      expect(b.kpis.channelMix.map((m) => m.share)).toEqual([0.6, 0.4]);
    }
    expect(b.profitCentre).toMatchObject({ runAsProfitCentre: true, reference: { value: 47.9 } });
    expect(b.maturity).toMatchObject({ level: 'learning', score: 50, assessedAt: '2026-11-20T10:00:00.000Z' });
    expect(b.maturity.distribution.map((d) => [d.level, d.reference?.value ?? null])).toEqual([['starting', null], ['learning', 54.5], ['advanced', null], ['very_advanced', 6.7]]);
  });

  it('keeps offering and maturity when the KPI report is unavailable, and says why', () => {
    const b = buildBenchmarkReport({ ...period, channels: [{ type: 'sms', enabled: true }], kpiReport: { unavailable: 'runKpiReport is being built' }, figures, latestAssessment: null });
    expect(b.kpis).toEqual({ available: false, reason: 'runKpiReport is being built' });
    expect(b.offering.find((o) => o.id === 'sms')!.offered).toBe(true);
    expect(b.profitCentre.runAsProfitCentre).toBeNull();
    expect(b.maturity.level).toBeNull();
  });
});

describe('maturity scoring', () => {
  const all = (n: number) => Object.fromEntries(maturityQuestions.map((q) => [q, n])) as MaturityAnswers;
  const sumTo = (sum: number): MaturityAnswers => {
    // Spread as evenly as possible: the score depends only on the sum unless the very-advanced cap applies.
    const base = Math.floor(sum / 10);
    return Object.fromEntries(maturityQuestions.map((q, i) => [q, base + (i < sum % 10 ? 1 : 0)])) as MaturityAnswers;
  };

  it('scores the sum as a percentage of the maximum', () => {
    expect(scoreMaturity(all(0)).score).toBe(0);
    expect(scoreMaturity(all(2)).score).toBe(50);
    expect(scoreMaturity(all(4)).score).toBe(100);
    expect(scoreMaturity(sumTo(13)).score).toBe(33);
  });

  it('places the level boundaries at 40, 65 and 85', () => {
    expect(scoreMaturity(sumTo(15)).level).toBe('starting'); // 38 (37.5 rounds up)
    expect(scoreMaturity(sumTo(16)).level).toBe('learning'); // 40
    expect(scoreMaturity(sumTo(25)).level).toBe('learning'); // 63 (62.5)
    expect(scoreMaturity(sumTo(26)).level).toBe('advanced'); // 65
    expect(scoreMaturity(sumTo(33)).level).toBe('advanced'); // 83 (82.5)
    expect(scoreMaturity(sumTo(34)).level).toBe('very_advanced'); // 85
    expect(scoreMaturity(all(4)).level).toBe('very_advanced');
  });

  it('keeps a centre with a neglected area out of "very advanced"', () => {
    const answers = { ...all(4), benchmarking: 1 };
    expect(scoreMaturity(answers)).toMatchObject({ score: 93, level: 'advanced' });
    expect(scoreMaturity({ ...all(4), benchmarking: 2 }).level).toBe('very_advanced');
  });

  it('names the weakest areas, lowest first', () => {
    const answers = { ...all(3), routing: 1, knowledge: 0, benchmarking: 1, channels: 4 };
    expect(scoreMaturity(answers).weakest).toEqual(['knowledge', 'routing', 'benchmarking']);
    expect(scoreMaturity(all(4)).weakest).toEqual([]);
  });

  it('refuses an answer outside the scale or missing', () => {
    expect(() => scoreMaturity({ ...all(2), routing: 5 })).toThrow(/routing/);
    expect(() => scoreMaturity({ ...all(2), routing: 1.5 })).toThrow(/routing/);
    const { routing: _, ...missing } = all(2);
    expect(() => scoreMaturity(missing as MaturityAnswers)).toThrow(/routing/);
  });
});
