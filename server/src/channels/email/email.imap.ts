import { ImapFlow } from 'imapflow';
import type { Platform } from '../../platform/platform.ts';
import type { ChannelRow } from '../channels.store.ts';
import type { InboundEvent, PollState } from '../contract.ts';
import type { EmailConfig, EmailSecrets } from './email.config.ts';
import { emailToEvents } from './email.inbound.ts';

/** Messages fetched per polling pass: a full mailbox is worked off over several passes. */
export const IMAP_BATCH = 50;

export interface ImapCursor {
  uid?: number;
  uidValidity?: string;
}

export type ImapPlan =
  /** Nothing new: keep (or set) the cursor. */
  | { fetch: null; cursor: Required<ImapCursor> }
  /** Fetch this UID range, then save `cursor`. */
  | { fetch: { from: number; to: number }; cursor: Required<ImapCursor> };

/**
 * What one pass fetches. A mailbox seen for the first time (or whose UIDVALIDITY changed, so
 * the old UIDs mean nothing) starts at its current end: Hoorn takes mail that arrives from now
 * on, not years of history. UIDs only grow, so everything below UIDNEXT that exists is visible,
 * and the cursor may move to the end of the fetched range even when it had gaps.
 */
export function planImapPass(saved: ImapCursor, mailbox: { uidValidity: string; uidNext: number }, batch = IMAP_BATCH): ImapPlan {
  const last = Math.max(0, mailbox.uidNext - 1);
  if (saved.uid === undefined || saved.uidValidity !== mailbox.uidValidity) return { fetch: null, cursor: { uid: last, uidValidity: mailbox.uidValidity } };
  if (last <= saved.uid) return { fetch: null, cursor: { uid: saved.uid, uidValidity: mailbox.uidValidity } };
  const from = saved.uid + 1;
  const to = Math.min(last, saved.uid + batch);
  return { fetch: { from, to }, cursor: { uid: to, uidValidity: mailbox.uidValidity } };
}

export function imapClient(config: EmailConfig, secrets: EmailSecrets): ImapFlow {
  return new ImapFlow({
    host: config.imapHost,
    port: config.imapPort,
    secure: config.imapSecure,
    auth: { user: config.imapUser, pass: secrets.imapPassword ?? '' },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}

/**
 * One IMAP pass: the mail with UIDs above the saved cursor, read-only (flags are the mailbox
 * owner's), as events. The cursor is staged through `state`; the poller saves it only after the
 * events are stored, so a crash repeats mail (deduplicated by Message-ID) rather than losing it.
 */
export async function pollImap(p: Platform, channel: ChannelRow, config: EmailConfig, secrets: EmailSecrets, state: PollState): Promise<InboundEvent[]> {
  const client = imapClient(config, secrets);
  // A dropped connection is reported by the pass's own promise; the event must not crash the process.
  client.on('error', (error) => p.log.warn({ err: error, channelId: channel.id }, 'imap connection error'));
  await client.connect();
  const sources: Buffer[] = [];
  let plan: ImapPlan;
  try {
    const lock = await client.getMailboxLock(config.imapMailbox, { readOnly: true });
    try {
      const mailbox = client.mailbox;
      if (!mailbox) throw new Error(`mailbox ${config.imapMailbox} could not be opened`);
      const savedValidity = await state.get<string | number>('uidValidity');
      const saved: ImapCursor = { uid: await state.get<number>('uid'), uidValidity: savedValidity === undefined ? undefined : String(savedValidity) };
      plan = planImapPass(saved, { uidValidity: String(mailbox.uidValidity), uidNext: mailbox.uidNext });
      if (plan.fetch) {
        for await (const message of client.fetch(`${plan.fetch.from}:${plan.fetch.to}`, { uid: true, source: true }, { uid: true })) {
          // "n:m" may answer with the last message when n is past the end; only the planned UIDs count.
          if (message.uid < plan.fetch.from || message.uid > plan.fetch.to || !message.source) continue;
          sources.push(message.source);
        }
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  const events: InboundEvent[] = [];
  for (const raw of sources) events.push(...(await emailToEvents(p, channel, config, raw)));
  await state.set('uid', plan.cursor.uid);
  // UIDVALIDITY is a 32-bit number; kept as one, because a JSON string does not survive channel_state's jsonb round trip as a string.
  await state.set('uidValidity', Number(plan.cursor.uidValidity));
  return events;
}

/** Logs in and out again: the admin's connection test for the mailbox. */
export async function verifyImap(config: EmailConfig, secrets: EmailSecrets): Promise<string> {
  const client = imapClient(config, secrets);
  client.on('error', () => undefined);
  await client.connect();
  try {
    const status = await client.status(config.imapMailbox, { messages: true });
    return `IMAP ${config.imapHost}: ${config.imapMailbox} has ${status ? (status.messages ?? 0) : 0} messages`;
  } finally {
    await client.logout().catch(() => client.close());
  }
}
