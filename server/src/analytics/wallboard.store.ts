import { and, desc, eq, gte } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client.ts';
import { events } from '../platform/db/schema.ts';
import { getAnalyticsSettings } from './facts.store.ts';
import type { SlaBreach } from './wallboard.ts';

/** More breaches than this in one day are counted no further: the alert says "many" either way. */
const MAX_BREACHES = 1_000;

/** The workspace's reporting time zone (analytics settings), which decides when "today" began. */
export async function reportingTimeZone(db: DbOrTx, workspaceId: string): Promise<string> {
  return (await getAnalyticsSettings(db, workspaceId)).timeZone;
}

/** `sla.breached` events since an instant, newest first. */
export async function slaBreachesSince(db: DbOrTx, workspaceId: string, since: Date): Promise<SlaBreach[]> {
  const rows = await db
    .select({ subjectId: events.subjectId, payload: events.payload, createdAt: events.createdAt })
    .from(events)
    .where(and(eq(events.workspaceId, workspaceId), eq(events.type, 'sla.breached'), gte(events.createdAt, since)))
    .orderBy(desc(events.id))
    .limit(MAX_BREACHES);
  return rows.map((r) => ({
    conversationId: typeof r.payload.conversationId === 'string' ? r.payload.conversationId : r.subjectId,
    metric: typeof r.payload.metric === 'string' ? r.payload.metric : 'unknown',
    at: r.createdAt,
  }));
}
