import type { SendMailOptions } from 'nodemailer';
import { DeliveryError } from '../../platform/outbox/outbox.ts';
import { domainOf, type EmailConfig } from './email.config.ts';
import { messageIdsIn, normalizeMessageId, replySubject, subjectTokenOf, trimReferences } from './email.parse.ts';
import { escapeHtml } from '../../platform/http/html.ts';

export interface ReplyInput {
  config: EmailConfig;
  /** Hoorn's message id: the Message-ID is made from it, so a resend after a lost answer is the same mail. */
  messageId: string;
  conversationId: string;
  subject: string | null;
  to: string;
  body: string;
  /** What the reply answers: the customer's latest mail. */
  lastInbound: { providerMessageId: string | null; meta: Record<string, unknown> | null } | undefined;
  attachments: Array<{ filename: string; content: Buffer; contentType: string }>;
  /** Written by a bot or the system, not a person: marked so the customer's auto-responder stays quiet. */
  automatic?: boolean;
  /** Headers the message asks for (`meta.headers`: a campaign's List-Unsubscribe); only those in MESSAGE_HEADERS pass. */
  extraHeaders?: Record<string, unknown> | null;
}

/**
 * Headers a message may add (from `meta.headers`), and nothing else: the threading and sender
 * headers stay the adapter's. Campaign mail adds the unsubscribe pair (RFC 2369, RFC 8058) and marks
 * itself auto-generated (RFC 3834) rather than an auto-reply.
 */
export const MESSAGE_HEADERS = new Set(['list-unsubscribe', 'list-unsubscribe-post', 'auto-submitted', 'precedence']);

/** The allowed headers of `meta.headers`, one line each (no CR/LF can smuggle in another header). */
export function messageHeaders(extra: Record<string, unknown> | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (!MESSAGE_HEADERS.has(name.toLowerCase()) || typeof value !== 'string' || /[\r\n]/.test(value) || value.length > 2000) continue;
    headers[name] = value;
  }
  return headers;
}


/** The text as a minimal HTML alternative: paragraphs and line breaks, nothing else. */
export function textToHtml(text: string): string {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html><body>${paragraphs.join('\n')}</body></html>`;
}

/**
 * The agent's reply as a threaded mail: its own Message-ID (returned as the provider id, so the
 * customer's answer finds its way back), In-Reply-To the customer's latest mail, References the
 * whole chain, and "[#TOKEN]" in the subject for mail programs that drop those headers.
 */
export function buildReply(input: ReplyInput): { mail: SendMailOptions; messageId: string; references: string[] } {
  const { config } = input;
  const messageId = `<${input.messageId}@${domainOf(config.address)}>`;
  const answered = normalizeMessageId(input.lastInbound?.providerMessageId ?? null);
  const earlier = messageIdsIn((input.lastInbound?.meta?.references as string[] | undefined) ?? []);
  const references = trimReferences([...new Set([...earlier, ...(answered ? [answered] : [])])]);
  const subject = input.subject ?? (input.lastInbound?.meta?.subject as string | undefined) ?? null;
  const mail: SendMailOptions = {
    from: { name: config.fromName, address: config.address },
    to: input.to,
    subject: replySubject(subject, subjectTokenOf(input.conversationId)),
    messageId,
    ...(answered ? { inReplyTo: answered } : {}),
    ...(references.length ? { references } : {}),
    text: input.body,
    html: textToHtml(input.body),
    attachments: input.attachments,
    // Bounces come back to the support address, where the listener reads them as DSNs.
    envelope: { from: config.address, to: input.to },
    headers: {
      'X-Mailer': 'Hoorn',
      // RFC 3834: automatic answers say so, and ask Exchange not to answer them with an out-of-office.
      ...(input.automatic ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {}),
      ...messageHeaders(input.extraHeaders),
    },
  };
  return { mail, messageId, references };
}

type MailError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

/**
 * A failed SMTP send as the outbox understands it: 4xx replies and connection trouble may pass
 * (retryable), 535 and other authentication failures need the admin (auth), other 5xx replies
 * never succeed (permanent).
 */
export function classifySmtpError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as MailError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const detail = `${e.response ?? e.message ?? String(error)}`.replace(/\s+/g, ' ').slice(0, 300);
  const described = `SMTP${code ? ` ${code}` : ''}${e.code ? ` (${e.code})` : ''}: ${detail}`;
  if (e.code === 'EAUTH' || code === 535 || code === 534 || code === 530) return new DeliveryError('auth', described);
  if (code !== undefined && code >= 400 && code < 500) return new DeliveryError('retryable', described);
  if (code !== undefined && code >= 500) return new DeliveryError('permanent', described);
  // No reply code: the connection, DNS, TLS or a timeout. Worth another try.
  return new DeliveryError('retryable', described);
}
