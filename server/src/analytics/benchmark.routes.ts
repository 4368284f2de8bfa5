import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { errorResponses } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { LEVEL_THRESHOLDS, MATURITY_SCALE, maturityLevels, maturityQuestions, scoreMaturity, type MaturityAnswers, type MaturityLevel } from './benchmark.maturity.ts';
import { offeringCategories } from './benchmark.ts';
import * as service from './benchmark.service.ts';
import * as store from './benchmark.store.ts';

const instant = (field: string) => z.iso.datetime({ offset: true, message: `${field} must be an ISO instant such as 2026-11-01T00:00:00Z` }).transform((v) => new Date(v));
const MAX_PERIOD_DAYS = 400;
const bothDates = (q: { from: unknown; to: unknown }) => q.from instanceof Date && q.to instanceof Date;

const reference = z.object({ figureId: z.string(), value: z.number(), unit: z.string(), year: z.string(), population: z.string(), source: z.string() });
const kpis = z.record(z.string(), z.number().nullable());
const benchmarkBody = z.object({
  from: z.string(),
  to: z.string(),
  offering: z.array(z.object({ id: z.enum(offeringCategories.map((c) => c.id)), offered: z.boolean(), byChannelTypes: z.array(z.string()), reference: reference.nullable() })),
  kpis: z.union([
    z.object({
      available: z.literal(true),
      currency: z.string(),
      totals: kpis,
      channelMix: z.array(z.object({ channel: z.string(), label: z.string(), contacts: z.number(), share: z.number().nullable() })),
      profitCentre: z.object({ currency: z.string(), revenue: z.number(), revenuePerContact: z.number().nullable(), cost: z.number(), costPerContact: z.number().nullable(), margin: z.number(), sales: z.number() }),
    }),
    z.object({ available: z.literal(false), reason: z.string() }),
  ]),
  profitCentre: z.object({ runAsProfitCentre: z.boolean().nullable(), reference: reference.nullable() }),
  maturity: z.object({
    level: z.enum(maturityLevels).nullable(),
    score: z.number().nullable(),
    assessedAt: z.string().nullable(),
    distribution: z.array(z.object({ level: z.enum(maturityLevels), reference: reference.nullable() })),
  }),
});

const answersInput = z.object(
  Object.fromEntries(
    maturityQuestions.map((q) => [q, z.number({ message: `${q}: an answer from ${MATURITY_SCALE.min} to ${MATURITY_SCALE.max} is required` }).int().min(MATURITY_SCALE.min).max(MATURITY_SCALE.max)]),
  ) as Record<(typeof maturityQuestions)[number], z.ZodNumber>,
).strict();
const assessmentBody = z.object({
  id: z.string(),
  answers: z.record(z.string(), z.number()),
  runAsProfitCentre: z.boolean(),
  score: z.number(),
  level: z.enum(maturityLevels),
  /** The areas answered lowest: where to start. */
  weakest: z.array(z.enum(maturityQuestions)),
  assessedBy: z.string(),
  assessedByName: z.string().nullable(),
  assessedAt: z.string(),
});
const maturityBody = z.object({
  questions: z.array(z.enum(maturityQuestions)),
  scale: z.object({ min: z.number(), max: z.number() }),
  levels: z.array(z.object({ level: z.enum(maturityLevels), minScore: z.number() })),
  current: assessmentBody.nullable(),
  history: z.array(assessmentBody),
});

function presentAssessment(row: store.MaturityAssessmentRow & { assessedByName?: string | null }) {
  return {
    id: row.id,
    answers: row.answers,
    runAsProfitCentre: row.runAsProfitCentre,
    score: row.score,
    level: row.level as MaturityLevel,
    weakest: scoreMaturity(row.answers as MaturityAnswers).weakest,
    assessedBy: row.assessedBy,
    assessedByName: row.assessedByName ?? null,
    assessedAt: row.assessedAt.toISOString(),
  };
}

async function maturityState(p: Platform, workspaceId: string) {
  const history = (await store.listAssessments(p.db, workspaceId)).map(presentAssessment);
  return {
    questions: [...maturityQuestions],
    scale: { ...MATURITY_SCALE },
    levels: maturityLevels.map((level) => ({ level, minScore: LEVEL_THRESHOLDS[level] })),
    current: history[0] ?? null,
    history,
  };
}

export function benchmarkRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['analytics'];

  r.get('/api/analytics/benchmark', {
    config: { access: 'supervisor' },
    schema: {
      tags,
      summary: "The workspace's channel offering, channel mix, KPIs, profit-centre figures and maturity beside the industry reference figures (each with its source)",
      querystring: z
        .object({ from: instant('from'), to: instant('to') })
        // Zod runs these even when a field failed; they judge only a well-formed pair.
        .refine((q) => !bothDates(q) || q.to.getTime() > q.from.getTime(), { path: ['to'], message: 'to must be after from' })
        .refine((q) => !bothDates(q) || q.to.getTime() - q.from.getTime() <= MAX_PERIOD_DAYS * 86_400_000, { path: ['to'], message: `the period may be at most ${MAX_PERIOD_DAYS} days` }),
      response: { 200: benchmarkBody, ...errorResponses },
    },
  }, async (request) => service.benchmarkReport(p, principalOf(request).workspaceId, request.query));

  r.get('/api/analytics/maturity', {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'The maturity questionnaire, the current self-assessment and its history (newest first)', response: { 200: maturityBody, ...errorResponses } },
  }, async (request) => maturityState(p, principalOf(request).workspaceId));

  r.put('/api/analytics/maturity', {
    config: { access: 'supervisor' },
    schema: {
      tags,
      summary: 'Saves a new self-assessment (every question answered 0–4); earlier ones stay as history',
      body: z.object({ answers: answersInput, runAsProfitCentre: z.boolean() }),
      response: { 200: maturityBody, ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId, actorId } = principalOf(request);
    await service.saveAssessment(p, workspaceId, request.body as { answers: MaturityAnswers; runAsProfitCentre: boolean }, actorId);
    return maturityState(p, workspaceId);
  });
}
