import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Platform } from '../../platform/platform.ts';
import { conversations, messages } from '../../conversations/conversations.schema.ts';
import { customerIdentities } from '../../customers/customers.schema.ts';
import { findMessageByProviderId, insertAttachment } from '../../conversations/conversations.store.ts';
import type { ChannelRow } from '../channels.store.ts';
import { enabledChannelsOf } from '../channels.store.ts';
import type { InboundEvent } from '../contract.ts';
import { storeInboundEvents } from '../inbound.ts';
import { emailConfig, usesSmtpListener, type EmailConfig } from './email.config.ts';
import { MAX_EMAIL_BYTES, readEmail } from './email.parse.ts';

/** The uploader of files that arrived by mail on a channel (receiveInbound checks it). */
const uploaderOf = (channel: ChannelRow) => `channel:${channel.id}`;

/**
 * One raw mail for one channel as inbound events. Files are stored here, before the events are,
 * because receiveInbound only links attachments that already exist. The raw message itself is
 * kept as an unlinked attachment (meta.rawAttachmentId), so the original stays available
 * without cluttering the desk.
 */
export async function emailToEvents(p: Platform, channel: ChannelRow, config: EmailConfig, raw: Buffer): Promise<InboundEvent[]> {
  const parsed = await readEmail(raw, config.address);
  if (parsed.kind === 'skip') {
    p.log.info({ channelId: channel.id, reason: parsed.reason }, 'email skipped');
    return [];
  }
  if (parsed.kind === 'status') {
    return [{ kind: 'status', providerMessageId: parsed.messageId, status: parsed.status, ...(parsed.error ? { error: parsed.error } : {}) }];
  }
  // A redelivery (SMTP retry, IMAP re-poll) must not store the files a second time.
  const known = await findMessageByProviderId(p.db, channel.workspaceId, channel.id, parsed.messageId);
  const inReplyTo = [...parsed.inReplyTo];
  if (!known && parsed.subjectToken) {
    const answered = await providerIdOfTokenConversation(p, channel, parsed.subjectToken, parsed.from.address);
    if (answered) inReplyTo.push(answered);
  }
  const attachmentIds: string[] = [];
  let rawAttachmentId: string | undefined;
  if (!known) {
    for (const file of parsed.attachments) attachmentIds.push((await storeFile(p, channel, file)).id);
    rawAttachmentId = (await storeFile(p, channel, { name: 'original.eml', contentType: 'message/rfc822', data: raw })).id;
  }
  return [
    {
      kind: 'message',
      providerMessageId: parsed.messageId,
      from: { externalId: parsed.from.address, profile: { name: parsed.from.name ?? undefined, email: parsed.from.address } },
      body: parsed.body,
      attachmentIds,
      subject: parsed.subject,
      threadKey: parsed.threadKey,
      inReplyTo,
      channelContext: { subject: parsed.subject, rootMessageId: parsed.threadKey },
      meta: { ...parsed.meta, ...(rawAttachmentId ? { rawAttachmentId } : {}) },
    },
  ];
}

async function storeFile(p: Platform, channel: ChannelRow, file: { name: string; contentType: string; data: Buffer }) {
  return insertAttachment(
    p.db,
    channel.workspaceId,
    { uploadedBy: uploaderOf(channel), name: file.name, contentType: file.contentType, data: file.data, sha256: createHash('sha256').update(file.data).digest('hex') },
    p.clock.now(),
  );
}

/**
 * The subject-token fallback: a reply whose mail program dropped In-Reply-To and References but
 * kept "[#TOKEN]". The token names a conversation of this channel; it counts only when the sender
 * is that conversation's customer, so a guessed token cannot put mail into someone else's thread.
 * Returns a provider id of that conversation, which receiveInbound then threads on.
 */
async function providerIdOfTokenConversation(p: Platform, channel: ChannelRow, token: string, sender: string): Promise<string | null> {
  const hex = token.toLowerCase();
  const prefix = `${hex.slice(0, 8)}-${hex.slice(8, 10)}`;
  const [hit] = await p.db
    .select({ providerMessageId: messages.providerMessageId })
    .from(conversations)
    .innerJoin(
      customerIdentities,
      and(
        eq(customerIdentities.workspaceId, conversations.workspaceId),
        eq(customerIdentities.customerId, conversations.customerId),
        eq(customerIdentities.channelType, 'email'),
        eq(customerIdentities.externalId, sender),
      ),
    )
    .innerJoin(messages, and(eq(messages.workspaceId, conversations.workspaceId), eq(messages.conversationId, conversations.id), isNotNull(messages.providerMessageId)))
    .where(and(eq(conversations.workspaceId, channel.workspaceId), eq(conversations.channelId, channel.id), sql`${conversations.id}::text like ${`${prefix}%`}`))
    .orderBy(desc(messages.seq))
    .limit(1);
  return hit?.providerMessageId ?? null;
}

/** Stores one raw mail on a channel: what the SMTP listener does per accepted recipient. */
export async function deliverEmail(p: Platform, channel: ChannelRow, raw: Buffer): Promise<void> {
  const config = emailConfig.parse(channel.config ?? {});
  await storeInboundEvents(p, channel, await emailToEvents(p, channel, config, raw));
}

/** The enabled email channel that takes mail for an address (the first to claim it, if several do). */
export async function channelForAddress(p: Platform, address: string): Promise<ChannelRow | undefined> {
  const wanted = address.trim().toLowerCase();
  const candidates = (await enabledChannelsOf(p.db, 'email', 'smtp'))
    .filter((c) => {
      const parsed = emailConfig.safeParse(c.config ?? {});
      return parsed.success && parsed.data.address === wanted && usesSmtpListener(parsed.data);
    })
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return candidates[0];
}

export interface EmailListener {
  port: number;
  close(): Promise<void>;
}

type SmtpError = Error & { responseCode?: number };
const smtpError = (code: number, message: string): SmtpError => Object.assign(new Error(message), { responseCode: code });

/**
 * Hoorn's own SMTP server (an MX for the support addresses): one for the whole instance. It
 * accepts RCPT TO only for addresses of enabled email channels (550 otherwise, so it is no open
 * relay and strangers learn nothing else), takes messages up to MAX_EMAIL_BYTES, and answers 250
 * only after the message is stored, so the sending server keeps it (451) when storing failed.
 */
export async function startEmailListener(p: Platform, opts: { port: number; host?: string }): Promise<EmailListener> {
  const recipients = new WeakMap<SMTPServerSession, Map<string, ChannelRow>>();
  const server = new SMTPServer({
    name: new URL(p.config.publicUrl).hostname || 'hoorn',
    banner: 'Hoorn',
    authOptional: true,
    disabledCommands: ['AUTH'],
    size: MAX_EMAIL_BYTES,
    maxClients: 200,
    logger: false,
    onMailFrom(_address: SMTPServerAddress, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      // A new envelope: recipients of an earlier one (RSET, a second message) do not carry over.
      recipients.delete(session);
      callback();
    },
    async onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      try {
        const channel = await channelForAddress(p, address.address);
        if (!channel) return callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
        const map = recipients.get(session) ?? new Map<string, ChannelRow>();
        map.set(channel.id, channel);
        recipients.set(session, map);
        callback();
      } catch (error) {
        p.log.error({ err: error }, 'smtp recipient lookup failed');
        callback(smtpError(451, '4.3.0 temporary failure, try again later'));
      }
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_EMAIL_BYTES) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > MAX_EMAIL_BYTES) return callback(smtpError(552, `5.3.4 message larger than ${MAX_EMAIL_BYTES} bytes`));
        // As the final delivery MTA, record the envelope sender (RFC 5321 4.4): an empty one marks automatic mail.
        const mailFrom = session.envelope.mailFrom;
        const raw = Buffer.concat([Buffer.from(`Return-Path: <${mailFrom ? mailFrom.address : ''}>\r\n`), ...chunks]);
        const targets = [...(recipients.get(session)?.values() ?? [])];
        // One transaction's worth per recipient channel; the envelope's recipients are cleared for the next message.
        recipients.delete(session);
        void (async () => {
          try {
            for (const channel of targets) await deliverEmail(p, channel, raw);
            callback();
          } catch (error) {
            p.log.error({ err: error }, 'storing an inbound email failed');
            callback(smtpError(451, '4.3.0 could not store the message, try again later'));
          }
        })();
      });
    },
  });
  server.on('error', (error) => p.log.warn({ err: error }, 'smtp listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
