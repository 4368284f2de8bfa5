import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { notFound } from '../platform/errors.ts';
import { errorBody, errorResponses, idParam, iso } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { calendarProblems, slaMetrics, slaPriorities, weekdays, type ClockStatus } from './sla.ts';
import { conversationSla } from './sla.service.ts';
import * as settings from './sla.settings.ts';
import * as store from './sla.store.ts';

const tags = ['sla'];
const MAX_TARGET_SECONDS = 366 * 86_400;

// Request bodies. Checks that need no database are here, so a bad field is a 400 naming it.

// The format of the times is checked with the rest of the hours by calendarProblems, so each bad interval is reported once.
const hhmm = z.string().max(5);
const dayHours = z.array(z.tuple([hhmm, hhmm])).max(6);
export const calendarInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    timeZone: z.string().min(1).max(64),
    alwaysOpen: z.boolean().default(false),
    week: z.object(Object.fromEntries(weekdays.map((d) => [d, dayHours.optional()])) as Record<(typeof weekdays)[number], z.ZodOptional<typeof dayHours>>).strict().prefault({}),
    holidays: z.array(z.object({ date: z.string().max(10), name: z.string().trim().max(100).default('') })).max(400).default([]),
  })
  .superRefine((c, ctx) => {
    for (const [path, message] of calendarProblems({ ...c, holidays: c.holidays.map((h) => h.date) })) {
      ctx.addIssue({ code: 'custom', path: path.startsWith('holidays.') ? [...path.split('.'), 'date'] : path.split('.'), message });
    }
  });

const targetSeconds = z.number().int().min(1).max(MAX_TARGET_SECONDS);
export const policyInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    position: z.number().int().min(0).max(100_000).default(100),
    enabled: z.boolean().default(true),
    conditions: z
      .object({
        channels: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
        queueIds: z.array(z.uuid()).max(50).default([]),
        priorities: z.array(z.enum(slaPriorities)).max(4).default([]),
        valueTiers: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
      })
      .strict()
      .prefault({}),
    targets: z
      .object({ first_response: targetSeconds.nullish(), next_response: targetSeconds.nullish(), resolution: targetSeconds.nullish() })
      .strict()
      .refine((t) => slaMetrics.some((m) => t[m] !== undefined && t[m] !== null), 'set at least one target'),
    warning: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('percent'), percent: z.number().int().min(1).max(99) }),
        z.object({ kind: z.literal('before'), seconds: targetSeconds }),
      ])
      .default({ kind: 'percent', percent: 80 }),
    calendarId: z.uuid().nullable().default(null),
    escalation: z
      .object({
        raisePriorityTo: z.enum(['high', 'urgent']).nullable().default(null),
        moveToQueueId: z.uuid().nullable().default(null),
        notify: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
  })
  .superRefine((p, ctx) => {
    const shortest = Math.min(...slaMetrics.map((m) => p.targets[m] ?? Infinity));
    if (p.warning.kind === 'before' && p.warning.seconds >= shortest) {
      ctx.addIssue({ code: 'custom', path: ['warning', 'seconds'], message: 'must be shorter than the shortest target' });
    }
  });

const toPolicyInput = (body: z.infer<typeof policyInput>): store.PolicyInput => ({
  ...body,
  // Only the metrics with a target are kept: a metric without one has no clock.
  targets: Object.fromEntries(slaMetrics.filter((m) => body.targets[m]).map((m) => [m, body.targets[m]!])),
});

// Responses.

const calendarBody = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  alwaysOpen: z.boolean(),
  week: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))),
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
  updatedAt: z.string(),
});
const presentCalendar = (c: store.CalendarRow) => ({ id: c.id, name: c.name, timeZone: c.timeZone, alwaysOpen: c.alwaysOpen, week: c.week as Record<string, Array<[string, string]>>, holidays: c.holidays, updatedAt: c.updatedAt.toISOString() });

const policyBody = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  enabled: z.boolean(),
  conditions: z.object({ channels: z.array(z.string()), queueIds: z.array(z.string()), priorities: z.array(z.string()), valueTiers: z.array(z.string()) }),
  targets: z.object({ first_response: z.number().optional(), next_response: z.number().optional(), resolution: z.number().optional() }),
  warning: z.union([z.object({ kind: z.literal('percent'), percent: z.number() }), z.object({ kind: z.literal('before'), seconds: z.number() })]),
  calendarId: z.string().nullable(),
  escalation: z.object({ raisePriorityTo: z.string().nullable(), moveToQueueId: z.string().nullable(), notify: z.boolean() }),
  updatedAt: z.string(),
});
const presentPolicy = (p: store.PolicyRow) => ({
  id: p.id,
  name: p.name,
  position: p.position,
  enabled: p.enabled,
  conditions: p.conditions,
  targets: p.targets,
  warning: p.warning,
  calendarId: p.calendarId,
  escalation: p.escalation,
  updatedAt: p.updatedAt.toISOString(),
});

const clockBody = z.object({
  metric: z.enum(slaMetrics),
  cycle: z.number(),
  state: z.enum(['running', 'paused', 'met', 'breached']),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  warnAt: z.string().nullable(),
  targetSeconds: z.number(),
  elapsedSeconds: z.number(),
  remainingSeconds: z.number().describe('Business seconds left; negative once over time'),
  warnedAt: z.string().nullable(),
  breachedAt: z.string().nullable(),
});
const ms = (value: number | null) => (value === null ? null : new Date(value).toISOString());
const presentClock = (c: ClockStatus & { warnedAt: Date | null; breachedAt: Date | null }) => ({
  metric: c.metric,
  cycle: c.cycle,
  state: c.state,
  startedAt: new Date(c.startedAt).toISOString(),
  completedAt: ms(c.completedAt),
  dueAt: ms(c.dueAt),
  warnAt: ms(c.warnAt),
  targetSeconds: c.targetSeconds,
  elapsedSeconds: c.elapsedSeconds,
  remainingSeconds: c.remainingSeconds,
  warnedAt: iso(c.warnedAt),
  breachedAt: iso(c.breachedAt),
});

export function slaRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const write = { 409: errorBody, ...errorResponses };

  r.get('/api/sla/calendars', {
    config: { access: 'supervisor' },
    schema: { tags, response: { 200: z.object({ items: z.array(calendarBody) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listCalendars(p.db, principalOf(request).workspaceId)).map(presentCalendar) }));

  r.get('/api/sla/calendars/:id', {
    config: { access: 'supervisor' },
    schema: { tags, params: idParam, response: { 200: calendarBody, ...errorResponses } },
  }, async (request) => {
    const row = await store.getCalendar(p.db, principalOf(request).workspaceId, request.params.id);
    if (!row) throw notFound('Calendar');
    return presentCalendar(row);
  });

  r.post('/api/sla/calendars', {
    config: { access: 'admin' },
    schema: { tags, body: calendarInput, response: { 201: calendarBody, ...write } },
  }, async (request, reply) => reply.status(201).send(presentCalendar(await settings.createCalendar(p, principalOf(request), request.body))));

  r.put('/api/sla/calendars/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, body: calendarInput, response: { 200: calendarBody, ...write } },
  }, async (request) => presentCalendar(await settings.updateCalendar(p, principalOf(request), request.params.id, request.body)));

  r.delete('/api/sla/calendars/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, response: { 204: z.null(), 409: errorBody, ...errorResponses } },
  }, async (request, reply) => {
    await settings.deleteCalendar(p, principalOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  r.get('/api/sla/policies', {
    config: { access: 'supervisor' },
    schema: { tags, response: { 200: z.object({ items: z.array(policyBody) }), ...errorResponses } },
  }, async (request) => ({ items: (await store.listPolicies(p.db, principalOf(request).workspaceId)).map(presentPolicy) }));

  r.get('/api/sla/policies/:id', {
    config: { access: 'supervisor' },
    schema: { tags, params: idParam, response: { 200: policyBody, ...errorResponses } },
  }, async (request) => {
    const row = await store.getPolicy(p.db, principalOf(request).workspaceId, request.params.id);
    if (!row) throw notFound('Policy');
    return presentPolicy(row);
  });

  r.post('/api/sla/policies', {
    config: { access: 'admin' },
    schema: { tags, body: policyInput, response: { 201: policyBody, ...write } },
  }, async (request, reply) => reply.status(201).send(presentPolicy(await settings.createPolicy(p, principalOf(request), toPolicyInput(request.body)))));

  r.put('/api/sla/policies/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, body: policyInput, response: { 200: policyBody, ...write } },
  }, async (request) => presentPolicy(await settings.updatePolicy(p, principalOf(request), request.params.id, toPolicyInput(request.body))));

  r.delete('/api/sla/policies/:id', {
    config: { access: 'admin' },
    schema: { tags, params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    await settings.deletePolicy(p, principalOf(request), request.params.id);
    return reply.status(204).send(null);
  });

  r.get('/api/conversations/:id/sla', {
    config: { access: 'agent' },
    schema: {
      tags,
      summary: "A conversation's SLA clocks as of now: metric, state, due time and business seconds left",
      params: idParam,
      response: { 200: z.object({ policy: z.object({ id: z.string(), name: z.string() }).nullable(), clocks: z.array(clockBody) }), ...errorResponses },
    },
  }, async (request) => {
    const { policy, clocks } = await conversationSla(p, principalOf(request).workspaceId, request.params.id);
    return { policy, clocks: clocks.map(presentClock) };
  });
}
