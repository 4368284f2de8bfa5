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
