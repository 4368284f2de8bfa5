import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/auth/guard.ts';
import { notFound } from '../platform/errors.ts';
import { errorResponses, idParam, iso } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { groupings, intervals } from './reports.ts';
import { frequencies, isValidTimeZone, reportLanguages, reportRanges } from './schedules.ts';
import * as service from './schedules.service.ts';
import * as store from './schedules.store.ts';

const MAX_RECIPIENTS = 50;

export const scheduleInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    recipients: z.array(z.email({ message: 'must be e-mail addresses' })).min(1, 'at least one recipient').max(MAX_RECIPIENTS),
    frequency: z.enum(frequencies),
    /** Local hour at which it is sent. */
    hour: z.number().int().min(0).max(23),
    /** ISO weekday, 1 = Monday … 7 = Sunday; required for weekly. */
    weekday: z.number().int().min(1).max(7).nullable().optional(),
    /** 1–31, required for monthly; a shorter month uses its last day. */
    dayOfMonth: z.number().int().min(1).max(31).nullable().optional(),
    /** IANA zone; defaults to the workspace's reporting zone. */
    timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Amsterdam').optional(),
    range: z.enum(reportRanges),
    interval: z.enum(intervals).default('total'),
    groupBy: z.enum(groupings).default('none'),
    language: z.enum(reportLanguages).default('nl'),
    enabled: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if (s.frequency === 'weekly' && !s.weekday) ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'a weekly schedule needs a weekday (1 = Monday … 7 = Sunday)' });
    if (s.frequency === 'monthly' && !s.dayOfMonth) ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: 'a monthly schedule needs a day of the month (1–31)' });
  });

const scheduleBody = z.object({
  id: z.string(),
  name: z.string(),
  recipients: z.array(z.string()),
  frequency: z.enum(frequencies),
  hour: z.number(),
  weekday: z.number().nullable(),
  dayOfMonth: z.number().nullable(),
  timeZone: z.string(),
  range: z.enum(reportRanges),
  interval: z.enum(intervals),
  groupBy: z.enum(groupings),
  language: z.enum(reportLanguages),
  enabled: z.boolean(),
  nextRunAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  lastError: z.string().nullable(),
  runs: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

function presentSchedule(row: store.ReportScheduleRow): z.infer<typeof scheduleBody> {
  return {
    id: row.id,
    name: row.name,
    recipients: row.recipients,
    frequency: row.frequency as z.infer<typeof scheduleBody>['frequency'],
    hour: row.hour,
    weekday: row.weekday,
    dayOfMonth: row.dayOfMonth,
    timeZone: row.timeZone,
    range: row.range as z.infer<typeof scheduleBody>['range'],
    interval: row.interval as z.infer<typeof scheduleBody>['interval'],
    groupBy: row.groupBy as z.infer<typeof scheduleBody>['groupBy'],
    language: row.language as z.infer<typeof scheduleBody>['language'],
    enabled: row.enabled,
    nextRunAt: iso(row.nextRunAt),
    lastRunAt: iso(row.lastRunAt),
    lastError: row.lastError,
    runs: row.runs,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function scheduleRoutes(app: FastifyInstance, p: Platform): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['analytics'];
  const base = '/api/analytics/report-schedules';

  r.get(base, {
    config: { access: 'supervisor' },
    schema: {
      tags,
      summary: "The workspace's scheduled e-mailed reports, and whether the system can send mail (HOORN_MAIL_URL)",
      response: { 200: z.object({ items: z.array(scheduleBody), mailConfigured: z.boolean() }), ...errorResponses },
    },
  }, async (request) => ({ items: (await store.listSchedules(p.db, principalOf(request).workspaceId)).map(presentSchedule), mailConfigured: Boolean(p.config.mail) }));

  r.post(base, {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Creates a scheduled report', body: scheduleInput, response: { 201: scheduleBody, ...errorResponses } },
  }, async (request, reply) => {
    const { workspaceId, actorId } = principalOf(request);
    return reply.code(201).send(presentSchedule(await service.createSchedule(p, workspaceId, request.body, actorId)));
  });

  r.get(`${base}/:id`, {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'One scheduled report', params: idParam, response: { 200: scheduleBody, ...errorResponses } },
  }, async (request) => {
    const row = await store.getSchedule(p.db, principalOf(request).workspaceId, request.params.id);
    if (!row) throw notFound('Report schedule');
    return presentSchedule(row);
  });

  r.put(`${base}/:id`, {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Replaces a scheduled report; its next run is computed again', params: idParam, body: scheduleInput, response: { 200: scheduleBody, ...errorResponses } },
  }, async (request) => {
    const { workspaceId, actorId } = principalOf(request);
    return presentSchedule(await service.replaceSchedule(p, workspaceId, request.params.id, request.body, actorId));
  });

  r.delete(`${base}/:id`, {
    config: { access: 'supervisor' },
    schema: { tags, summary: 'Deletes a scheduled report', params: idParam, response: { 204: z.null(), ...errorResponses } },
  }, async (request, reply) => {
    const { workspaceId, actorId } = principalOf(request);
    await service.removeSchedule(p, workspaceId, request.params.id, actorId);
    return reply.code(204).send(null);
  });

  r.post(`${base}/:id/send`, {
    config: { access: 'supervisor' },
    schema: {
      tags,
      summary: 'Sends the report now, for the period a run at this moment covers; the outcome is recorded as the last run (the next run stays)',
      params: idParam,
      response: { 200: scheduleBody, ...errorResponses },
    },
  }, async (request) => {
    const { workspaceId, actorId } = principalOf(request);
    return presentSchedule(await service.sendScheduleNow(p, workspaceId, request.params.id, actorId));
  });
}
