import nodemailer from 'nodemailer';
import { getAttachment, getMessage } from '../../conversations/conversations.store.ts';
import type { ChannelAdapter } from '../contract.ts';
import { emailConfig, emailSecrets, usesImap, type EmailConfig, type EmailSecrets } from './email.config.ts';
import { startEmailListener } from './email.inbound.ts';
import { pollImap, verifyImap } from './email.imap.ts';
import { buildReply, classifySmtpError } from './email.send.ts';
import { MAX_EMAIL_BYTES } from './email.parse.ts';

export { startEmailListener } from './email.inbound.ts';

/** The relay that carries Hoorn's replies (the provider's submission server). */
function transportOf(config: EmailConfig, secrets: EmailSecrets) {
  return nodemailer.createTransport({
    host: config.smtpHost,
    port: config.smtpPort,
    secure: config.smtpSecure,
    ...(config.smtpUser ? { auth: { user: config.smtpUser, pass: secrets.smtpPassword ?? '' } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}

const label = (nl: string, en: string) => ({ nl, en });

/** Email: Hoorn's own SMTP listener and/or IMAP polling in, an SMTP relay out, threaded by Message-ID. */
export const emailAdapter: ChannelAdapter<EmailConfig, EmailSecrets> = {
  type: 'email',
  provider: 'smtp',
  label: 'E-mail',
  config: emailConfig,
  secrets: emailSecrets,
  fields: [
    { key: 'address', kind: 'email', required: true, label: label('Supportadres', 'Support address'), placeholder: 'support@example.nl', help: label('Het adres waar klanten naar mailen; antwoorden gaan van dit adres.', 'The address customers write to; replies go out from it.') },
    { key: 'fromName', kind: 'text', label: label('Afzendernaam', 'Sender name'), placeholder: 'Klantenservice' },
    {
      key: 'inbound',
      kind: 'select',
      label: label('Binnenkomend via', 'Inbound through'),
      options: [
        { value: 'smtp', label: label('Hoorns eigen mailserver (HOORN_SMTP_PORT)', "Hoorn's own mail server (HOORN_SMTP_PORT)") },
        { value: 'imap', label: label('Een postvak ophalen (IMAP)', 'Polling a mailbox (IMAP)') },
        { value: 'both', label: label('Beide', 'Both') },
      ],
    },
    { key: 'smtpHost', kind: 'text', label: label('SMTP-server voor verzenden', 'SMTP server for sending'), placeholder: 'smtp.example.nl' },
    { key: 'smtpPort', kind: 'number', label: label('SMTP-poort', 'SMTP port'), placeholder: '587' },
    { key: 'smtpSecure', kind: 'boolean', label: label('SMTP via TLS vanaf het begin (poort 465)', 'SMTP over TLS from the start (port 465)') },
    { key: 'smtpUser', kind: 'text', label: label('SMTP-gebruikersnaam', 'SMTP user name') },
    { key: 'smtpPassword', kind: 'secret', label: label('SMTP-wachtwoord', 'SMTP password') },
    { key: 'imapHost', kind: 'text', label: label('IMAP-server', 'IMAP server'), placeholder: 'imap.example.nl' },
    { key: 'imapPort', kind: 'number', label: label('IMAP-poort', 'IMAP port'), placeholder: '993' },
    { key: 'imapSecure', kind: 'boolean', label: label('IMAP via TLS', 'IMAP over TLS') },
    { key: 'imapUser', kind: 'text', label: label('IMAP-gebruikersnaam', 'IMAP user name') },
    { key: 'imapPassword', kind: 'secret', label: label('IMAP-wachtwoord', 'IMAP password') },
    { key: 'imapMailbox', kind: 'text', label: label('IMAP-map', 'IMAP folder'), placeholder: 'INBOX' },
    { key: 'imapPollSeconds', kind: 'number', label: label('Ophalen elke (seconden)', 'Poll every (seconds)'), placeholder: '60' },
  ],
  limits: () => ({ maxTextLength: 100_000, attachments: { maxBytes: MAX_EMAIL_BYTES, types: ['*/*'] }, replyWindowHours: null }),

  async send({ p, config, secrets, conversation, recipient, lastInbound }, message) {
    const attachments = [];
    for (const ref of message.attachments) {
      const file = await getAttachment(p.db, message.workspaceId, ref.id);
      if (file) attachments.push({ filename: file.name, content: file.data, contentType: file.contentType });
    }
    // OutboundMessage does not say who wrote it; a bot's or the system's mail is marked automatic.
    const authorType = (await getMessage(p.db, message.workspaceId, message.messageId))?.authorType;
    const { mail, messageId, references } = buildReply({
      config,
      messageId: message.messageId,
      conversationId: conversation.id,
      subject: conversation.subject,
      to: recipient.externalId,
      body: message.body,
      lastInbound,
      attachments,
      automatic: authorType === 'bot' || authorType === 'system',
      extraHeaders: (message.meta?.headers as Record<string, unknown> | undefined) ?? null,
    });
    const transport = transportOf(config, secrets);
    try {
      await transport.sendMail(mail);
    } catch (error) {
      throw classifySmtpError(error);
    } finally {
      transport.close();
    }
    return { providerMessageId: messageId, meta: { messageId, references, subject: mail.subject } };
  },

  poll: {
    intervalMs: (config) => config.imapPollSeconds * 1000,
    run: async ({ p, channel, config, secrets }, state) => (usesImap(config) ? pollImap(p, channel, config, secrets, state) : []),
  },

  async testConnection({ config, secrets }) {
    const transport = transportOf(config, secrets);
    const details: string[] = [];
    try {
      await transport.verify();
      details.push(`SMTP ${config.smtpHost}:${config.smtpPort} accepted the connection${config.smtpUser ? ' and the login' : ''}`);
    } catch (error) {
      return { ok: false, detail: `SMTP ${config.smtpHost}:${config.smtpPort}: ${classifySmtpError(error).message}` };
    } finally {
      transport.close();
    }
    if (usesImap(config)) {
      try {
        details.push(await verifyImap(config, secrets));
      } catch (error) {
        const e = error as Error & { responseText?: string };
        return { ok: false, detail: `IMAP ${config.imapHost}:${config.imapPort}: ${e.responseText ?? e.message}` };
      }
    }
    return { ok: true, detail: details.join('; ') };
  },

  inboundAddress(p, _channel, c) {
    const listening = p.config.smtpListen ? `${c.address}` : `${c.address} (HOORN_SMTP_PORT is not set)`;
    if (c.inbound === 'smtp') return listening;
    const mailbox = `IMAP ${c.imapUser ? `${c.imapUser}@` : ''}${c.imapHost}/${c.imapMailbox}`;
    return c.inbound === 'imap' ? mailbox : `${listening} + ${mailbox}`;
  },
  async start(p) {
    const settings = p.config.smtpListen;
    if (!settings) return;
    const listener = await startEmailListener(p, settings);
    p.log.info({ port: listener.port, host: settings.host }, 'smtp listener started');
    p.jobs.onStop(() => listener.close());
  },
};
