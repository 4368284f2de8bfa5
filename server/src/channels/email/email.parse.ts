import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

/** Mail bigger than this is refused at the SMTP listener and skipped when polled. */
export const MAX_EMAIL_BYTES = 25 * 1024 * 1024;
/** Full texts and HTML kept in messages.meta are cut here; the raw message is kept whole elsewhere. */
const MAX_META_CHARS = 200_000;
/** References kept on a message: the root and the most recent ones are what threading needs. */
const MAX_REFERENCES = 30;

export interface EmailFile {
  name: string;
  contentType: string;
  data: Buffer;
}

/** A customer's mail, ready to become an inbound message once its files are stored. */
export interface ParsedEmailMessage {
  kind: 'message';
  messageId: string;
  from: { address: string; name: string | null };
  subject: string | null;
  /** What the desk shows: the new text, quoted history folded away. */
  body: string;
  /** The root of the thread: the first of References, else In-Reply-To, else this mail's own id. */
  threadKey: string;
  /** Every id this mail answers (In-Reply-To and References). */
  inReplyTo: string[];
  /** A "[#TOKEN]" in the subject, for replies whose mail program dropped the threading headers. */
  subjectToken: string | null;
  date: Date | null;
  attachments: EmailFile[];
  meta: {
    messageId: string;
    subject: string | null;
    references: string[];
    inReplyTo: string[];
    to: string[];
    cc: string[];
    date: string | null;
    /** The whole text including the quoted history. */
    text: string;
    /** The sanitized HTML, when the mail had HTML. */
    html?: string;
  };
}

/** A delivery report (DSN) about a mail Hoorn sent. */
export interface ParsedEmailStatus {
  kind: 'status';
  /** The Message-ID of the mail the report is about. */
  messageId: string;
  status: 'failed' | 'delivered';
  error: string | null;
}

/** Mail that must not reach a conversation (auto-replies, bounces about unknown mail, our own mail). */
export interface SkippedEmail {
  kind: 'skip';
  reason: string;
}

export type ParsedEmail = ParsedEmailMessage | ParsedEmailStatus | SkippedEmail;

// Message ids.

const ID_PATTERN = /<([^<>\s]+)>/g;

/** A Message-ID in its canonical form, with angle brackets; null when there is none. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracketed = [...value.matchAll(ID_PATTERN)][0];
  const bare = bracketed ? bracketed[1]! : value.trim().replace(/^<|>$/g, '');
  if (!bare || /[\s<>]/.test(bare) || bare.length > 500) return null;
  return `<${bare}>`;
}

/** Every message id in a header value (References, In-Reply-To), in order, without repeats. */
export function messageIdsIn(value: string | string[] | null | undefined): string[] {
  const values = Array.isArray(value) ? value : value ? [value] : [];
  const ids: string[] = [];
  for (const v of values) {
    const found = [...v.matchAll(ID_PATTERN)].map((m) => `<${m[1]}>`);
    // A lone id without brackets (seen from some mailers) still counts.
    if (found.length === 0) {
      const single = normalizeMessageId(v);
      if (single) found.push(single);
    }
    for (const id of found) if (id.length <= 500 && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Keeps a References chain short: the root plus the most recent ids. */
export function trimReferences(ids: string[]): string[] {
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0]!, ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

// Subject tokens.

/** The token Hoorn puts in the subject of its replies: the start of the conversation id. */
export function subjectTokenOf(conversationId: string): string {
  return conversationId.replace(/-/g, '').slice(0, 10).toUpperCase();
}

export function findSubjectToken(subject: string | null | undefined): string | null {
  const m = subject?.match(/\[#([0-9A-F]{10})\]/i);
  return m ? m[1]!.toUpperCase() : null;
}

/** "Re: <subject> [#TOKEN]", with one "Re:" however many the thread collected. */
export function replySubject(subject: string | null | undefined, token: string): string {
  let base = (subject ?? '').replace(/\s*\[#[0-9A-F]{10}\]\s*/gi, ' ').trim();
  // Strip reply prefixes in the languages Hoorn's customers write: Re, Antw (nl), AW/WG (de), SV (nordic), Fwd.
  while (/^(re|antw|aw|sv|vs|fw|fwd)\s*(\[\d+\])?\s*:\s*/i.test(base)) base = base.replace(/^(re|antw|aw|sv|vs|fw|fwd)\s*(\[\d+\])?\s*:\s*/i, '');
  return `Re: ${base || '(geen onderwerp)'} [#${token}]`;
}

// Auto-replies and bounces.

type HeaderValue = string | string[] | { value?: string; text?: string } | Date | undefined | unknown;

const headerText = (value: HeaderValue): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as { value?: unknown; text?: unknown };
    if (typeof v.value === 'string') return v.value;
    if (typeof v.text === 'string') return v.text;
  }
  return String(value);
};

/**
 * Why a mail is machine-generated (RFC 3834 Auto-Submitted, the Precedence convention, the
 * X-Autoreply headers of older responders), or null for a person's mail. Such mail must not
 * open a conversation: answering it is how mail loops start.
 */
export function autoReplyReason(headers: Map<string, HeaderValue>): string | null {
  const autoSubmitted = headerText(headers.get('auto-submitted')).trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = headerText(headers.get('precedence')).trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-autogenerated']) {
    if (headers.has(name)) return `${name} header`;
  }
  return null;
}

const isMailerDaemon = (address: string) => /^(mailer-daemon|postmaster)@/i.test(address);

/** A DSN's per-recipient fields: `Action`, `Status`, `Diagnostic-Code`, unfolded. */
export function deliveryStatusFields(text: string): { action: string | null; status: string | null; diagnostic: string | null; envelopeId: string | null } {
  const unfolded = text.replace(/\r?\n[ \t]+/g, ' ');
  const field = (name: string) => unfolded.match(new RegExp(`^${name}:[ \\t]*(.+)$`, 'im'))?.[1]?.trim() ?? null;
  return { action: field('Action')?.toLowerCase() ?? null, status: field('Status'), diagnostic: field('Diagnostic-Code'), envelopeId: field('Original-Envelope-Id') };
}

// Bodies.

const QUOTE_HEADERS = [
  /^On\b.{0,300}\bwrote:\s*$/i,
  /^Op\b.{0,300}\b(schreef|geschreven)\b.{0,100}:\s*$/i,
  /^Am\b.{0,300}\bschrieb\b.{0,100}:\s*$/i,
  /^Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^-{2,}\s*(Original Message|Oorspronkelijk bericht|Origineel bericht|Ursprüngliche Nachricht|Forwarded message|Doorgestuurd bericht)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above "From: ... Sent: ..."
];
const OUTLOOK_BLOCK = /^(From|Van|Von):\s.+$/i;
const OUTLOOK_NEXT = /^(Sent|Verzonden|Gesendet|Date|Datum|To|Aan|An):\s/i;

/**
 * The new text of a reply: cut at the first quote header ("On ... wrote:", "Op ... schreef ...:",
 * an Outlook "From:/Sent:" block or "-----Original Message-----") and drop '>'-quoted lines.
 * Mail programs wrap a long quote header over two lines, so each line is also tried joined with
 * the next. When nothing is left (a mail that only quotes) the whole text is kept.
 */
export function foldQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`.trim();
    if (QUOTE_HEADERS.some((re) => re.test(line) || re.test(joined))) {
      cut = i;
      break;
    }
    if (OUTLOOK_BLOCK.test(line) && OUTLOOK_NEXT.test((lines[i + 1] ?? '').trim())) {
      cut = i;
      break;
    }
  }
  const kept = lines.slice(0, cut).filter((l) => !/^\s*>/.test(l));
  const folded = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return folded || text.trim();
}

/** HTML from a stranger, made safe for the desk: no scripts, styles, handlers or javascript: links. */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'font', 'center', 'span'],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'width', 'height'], '*': ['dir', 'align'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    // Inline images stay only as cid: references or https; tracking pixels over http and data: blobs go.
    allowedSchemes: ['https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['https', 'cid'] },
    allowProtocolRelative: false,
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

const isQuoteFrame = (frame: { tag: string; attribs: Record<string, string> }) =>
  frame.tag === 'blockquote' ||
  /\b(gmail_quote|gmail_attr|moz-cite-prefix|yahoo_quoted)\b/.test(frame.attribs.class ?? '') ||
  /^(divRplyFwdMsg|appendonsend)$/.test(frame.attribs.id ?? '');

/**
 * Readable text of a mail's HTML, without the quoted history mail programs put in blockquotes
 * (Gmail's gmail_quote, Outlook's divRplyFwdMsg). Two passes: the first drops the quote
 * elements while their classes are still there, the second drops every tag (and the text of
 * script and style).
 */
export function htmlToText(html: string): string {
  const unquoted = sanitizeHtml(html, { allowedTags: false, allowedAttributes: false, exclusiveFilter: isQuoteFrame });
  const withBreaks = unquoted.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|tr|h[1-6]|table|ul|ol|blockquote)>/gi, '\n');
  const text = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} });
  return decodeEntities(text)
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// The whole mail.

const addresses = (value: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value.map((v) => v.address?.toLowerCase()).filter((x): x is string => Boolean(x)));

const cut = (s: string) => (s.length > MAX_META_CHARS ? `${s.slice(0, MAX_META_CHARS)}…` : s);

/** A stable id for mail without a Message-ID, so a redelivery of the same bytes is still a replay. */
export const fallbackMessageId = (raw: Buffer) => `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@no-message-id.hoorn.invalid>`;

/**
 * Reads one raw RFC 5322 message: a customer's mail, a delivery report on a mail Hoorn sent, or
 * something to skip. `ownAddress` is the channel's address: mail from it is Hoorn's own
 * (a loop) and is skipped. Never throws on malformed input: what cannot be read is skipped
 * with its reason.
 */
export async function readEmail(raw: Buffer, ownAddress: string): Promise<ParsedEmail> {
  if (raw.length > MAX_EMAIL_BYTES) return { kind: 'skip', reason: `larger than ${MAX_EMAIL_BYTES} bytes` };
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 5 * 1024 * 1024 });
  } catch (error) {
    return { kind: 'skip', reason: `unreadable mail: ${error instanceof Error ? error.message : String(error)}` };
  }
  return interpretEmail(mail, raw, ownAddress);
}

/** The decisions on a parsed mail; split from `readEmail` so the rules can be tested on parsed input. */
export function interpretEmail(mail: ParsedMail, raw: Buffer, ownAddress: string): ParsedEmail {
  const headers = mail.headers as Map<string, HeaderValue>;
  const sender = mail.from?.value.find((v) => v.address) ?? null;
  const address = sender?.address?.trim().toLowerCase() ?? '';
  const ownId = normalizeMessageId(mail.messageId ?? headerText(headers.get('message-id')));

  const contentType = headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const isReport = contentType?.value?.toLowerCase() === 'multipart/report' && (contentType.params?.['report-type'] ?? '').toLowerCase() === 'delivery-status';
  // Exim and older MTAs bounce without multipart/report, but name the failed recipients in a header.
  if (isReport || (isMailerDaemon(address) && headers.has('x-failed-recipients'))) return interpretDeliveryReport(mail, raw, ownId);
  if (!address || !/^[^\s@]+@[^\s@]+$/.test(address)) return { kind: 'skip', reason: 'no sender address' };
  if (isMailerDaemon(address)) return { kind: 'skip', reason: `a notice from ${address} that is not a delivery report` };
  if (address === ownAddress.trim().toLowerCase()) return { kind: 'skip', reason: 'mail from the channel’s own address (a loop)' };
  const auto = autoReplyReason(headers);
  if (auto) return { kind: 'skip', reason: `automatic reply (${auto})` };
  // RFC 3834: automatic mail is sent with an empty return path (the final MTA records it as Return-Path: <>).
  const returnPath = mail.headerLines.find((l) => l.key === 'return-path')?.line;
  if (returnPath && /^return-path:\s*<\s*>\s*$/i.test(returnPath)) return { kind: 'skip', reason: 'automatic mail (empty return path)' };

  const messageId = ownId ?? fallbackMessageId(raw);
  const references = trimReferences(messageIdsIn(mail.references ?? headerText(headers.get('references'))).filter((id) => id !== messageId));
  const replyTo = messageIdsIn(mail.inReplyTo ?? headerText(headers.get('in-reply-to'))).filter((id) => id !== messageId);
  const answers = [...new Set([...replyTo, ...references])];
  const html = mail.html ? sanitizeEmailHtml(mail.html) : undefined;
  // mailparser makes a text from the HTML when a mail has none; ours drops the quoted blocks, so
  // HTML-only mail is converted here. A text/plain part (or a mail without Content-Type) is the text.
  const topType = contentType?.value?.toLowerCase() ?? 'text/plain';
  const hasTextPart = topType === 'text/plain' || /^content-type:[ \t]*text\/plain/im.test(raw.toString('latin1'));
  const hasText = Boolean(hasTextPart && mail.text && mail.text.trim());
  const fullText = (hasText ? mail.text! : mail.html ? htmlToText(mail.html) : '').replace(/\r\n?/g, '\n');
  const body = foldQuotedHistory(fullText);
  const subject = mail.subject?.trim() || null;
  return {
    kind: 'message',
    messageId,
    from: { address, name: sender?.name?.trim() || null },
    subject,
    body,
    threadKey: references[0] ?? replyTo[0] ?? messageId,
    inReplyTo: answers,
    // Only a mail without threading headers falls back to the subject token.
    subjectToken: answers.length === 0 ? findSubjectToken(subject) : null,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    attachments: mail.attachments
      .filter((a) => a.content && a.content.length > 0)
      .map((a, i) => ({ name: safeFileName(a.filename, a.contentType, i), contentType: a.contentType || 'application/octet-stream', data: a.content })),
    meta: {
      messageId,
      subject,
      references,
      inReplyTo: replyTo,
      to: addresses(mail.to),
      cc: addresses(mail.cc),
      // The sender's clock: kept for the record, not used for ordering (it can be anything).
      date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
      text: cut(fullText),
      ...(html ? { html: cut(html) } : {}),
    },
  };
}

function interpretDeliveryReport(mail: ParsedMail, raw: Buffer, ownId: string | null): ParsedEmail {
  // The report part is inline text for some parsers and an attachment for others: read both.
  const parts = [mail.text ?? '', ...mail.attachments.filter((a) => /delivery-status|rfc822/i.test(a.contentType)).map((a) => a.content.toString('utf8'))];
  const reportText = parts.join('\n');
  const fields = deliveryStatusFields(reportText);
  // The returned message (or its headers) carries the Message-ID of the mail that bounced.
  const returned = [...`${reportText}\n${raw.toString('latin1')}`.matchAll(/^Message-ID:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\s]+>)/gim)].map((m) => m[1]!).find((id) => id !== ownId);
  const headers = mail.headers as Map<string, HeaderValue>;
  const reported =
    returned ??
    normalizeMessageId(fields.envelopeId) ??
    messageIdsIn(mail.inReplyTo ?? headerText(headers.get('in-reply-to')))[0] ??
    messageIdsIn(mail.references ?? headerText(headers.get('references')))[0];
  if (!reported) return { kind: 'skip', reason: 'a delivery report that names no message' };
  if (fields.action === 'delivered' || fields.action === 'relayed' || fields.action === 'expanded') return { kind: 'status', messageId: reported, status: 'delivered', error: null };
  // "delayed" is only a warning: the mail server keeps trying.
  if (fields.action && fields.action !== 'failed') return { kind: 'skip', reason: `a delivery report with Action: ${fields.action}` };
  const error = [fields.status, fields.diagnostic].filter(Boolean).join(' ') || 'the mail bounced';
  return { kind: 'status', messageId: reported, status: 'failed', error: error.slice(0, 1000) };
}

function safeFileName(name: string | undefined, contentType: string, index: number): string {
  const cleaned = (name ?? '').replace(/[\\/\u0000-\u001f]/g, '_').trim().slice(0, 200);
  if (cleaned) return cleaned;
  const ext = contentType === 'message/rfc822' ? 'eml' : (contentType.split('/')[1] ?? 'bin').replace(/[^a-z0-9]/gi, '').slice(0, 10) || 'bin';
  return `attachment-${index + 1}.${ext}`;
}
