// The campaign report's one read of the campaign tables (docs/analytics.md, "Campaign report"): the
// campaigns that sent in a period and the counts of all their recipients. Read-only; the analytics
// module turns the counts into figures (analytics/campaigns.report.ts).
import { sql } from 'drizzle-orm';
import { queryRows, type DbOrTx } from '../platform/db/client.ts';

export interface CampaignReportRecord {
  id: string;
  name: string;
  status: string;
  channelId: string;
  channelName: string;
  channelType: string;
  launchedAt: Date | null;
  finishedAt: Date | null;
  recipients: number;
  pending: number;
  sent: number;
  optedOut: number;
  noIdentity: number;
  erased: number;
  canceled: number;
  refused: number;
  confirmedDelivered: number;
  undeliverable: number;
  replied: number;
  converted: number;
  revenueCents: number;
}

interface RawRow {
  id: string;
  name: string;
  status: string;
  channel_id: string;
  channel_name: string;
  channel_type: string;
  launched_at: Date | string | null;
  finished_at: Date | string | null;
  [count: string]: unknown;
}

const COUNTS = {
  recipients: 'recipients',
  pending: 'pending',
  sent: 'sent',
  optedOut: 'opted_out',
  noIdentity: 'no_identity',
  erased: 'erased',
  canceled: 'canceled',
  refused: 'refused',
  confirmedDelivered: 'confirmed_delivered',
  undeliverable: 'undeliverable',
  replied: 'replied',
  converted: 'converted',
  revenueCents: 'revenue_cents',
} as const;

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

/**
 * The workspace's campaigns with at least one send in [from, to) (optionally on one channel type),
 * the latest launched first, at most `limit`; per campaign the counts of all its recipients.
 *
 * Bounded: the campaigns are picked from the workspace's launched ones whose sending overlaps the
 * period (a send happens between launch and finish), each checked for a send in the period through
 * the recipients' (workspace, campaign) index; only the listed campaigns' recipients are counted,
 * with their messages by primary key and their wrap-ups by the (workspace, conversation) index.
 * Revenue is a wrap-up's amount in `currency` recorded after the recipient's send, as the campaign's
 * results count it (recording again replaces the row, so a corrected amount counts once).
 */
export async function campaignReportRecords(
  db: DbOrTx,
  workspaceId: string,
  query: { from: Date; to: Date; channelType?: string; currency: string; limit: number },
): Promise<CampaignReportRecord[]> {
  const rows = await queryRows<RawRow>(
    db,
    sql`with listed as (
          select c.id, c.name, c.status, c.launched_at, c.finished_at, ch.id as channel_id, ch.name as channel_name, ch.type as channel_type
            from campaigns c
            join channels ch on ch.id = c.channel_id and ch.workspace_id = c.workspace_id
           where c.workspace_id = ${workspaceId}
             and c.launched_at is not null and c.launched_at < ${query.to}
             and (c.finished_at is null or c.finished_at >= ${query.from})
             ${query.channelType ? sql`and ch.type = ${query.channelType}` : sql``}
             and exists (select 1 from campaign_recipients s
                          where s.workspace_id = c.workspace_id and s.campaign_id = c.id
                            and s.sent_at >= ${query.from} and s.sent_at < ${query.to})
           order by c.launched_at desc, c.id
           limit ${query.limit}
        ),
        counted as (
          select r.campaign_id,
                 count(*) as recipients,
                 count(*) filter (where r.status = 'pending') as pending,
                 count(*) filter (where r.status = 'sent') as sent,
                 count(*) filter (where r.status = 'opted_out') as opted_out,
                 count(*) filter (where r.status = 'no_identity') as no_identity,
                 count(*) filter (where r.status = 'erased') as erased,
                 count(*) filter (where r.status = 'canceled') as canceled,
                 count(*) filter (where r.status = 'failed') as refused,
                 count(*) filter (where r.status = 'sent' and m.status in ('delivered', 'read')) as confirmed_delivered,
                 count(*) filter (where r.status = 'sent' and m.status = 'failed') as undeliverable,
                 count(*) filter (where r.status = 'sent' and r.replied_at is not null) as replied,
                 count(*) filter (where w.cents is not null) as converted,
                 coalesce(sum(w.cents), 0) as revenue_cents
            from listed l
            join campaign_recipients r on r.workspace_id = ${workspaceId} and r.campaign_id = l.id
            left join messages m on m.id = r.message_id and m.workspace_id = r.workspace_id
            left join lateral (
              select sum(u.amount_cents) as cents from wrap_ups u
               where u.workspace_id = r.workspace_id and u.conversation_id = r.conversation_id
                 and u.recorded_at >= r.sent_at and u.amount_cents is not null and u.currency = ${query.currency}
            ) w on r.status = 'sent' and r.conversation_id is not null
           group by r.campaign_id
        )
        select l.id, l.name, l.status, l.launched_at, l.finished_at, l.channel_id, l.channel_name, l.channel_type, k.*
          from listed l left join counted k on k.campaign_id = l.id
         order by l.launched_at desc, l.id`,
  );
  return rows.map((row) => {
    const counts = Object.fromEntries(Object.entries(COUNTS).map(([key, column]) => [key, Number(row[column] ?? 0)])) as Record<keyof typeof COUNTS, number>;
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      channelId: row.channel_id,
      channelName: row.channel_name,
      channelType: row.channel_type,
      launchedAt: date(row.launched_at),
      finishedAt: date(row.finished_at),
      ...counts,
    };
  });
}
