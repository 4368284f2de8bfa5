import nodemailer from 'nodemailer';
import type { Config } from '../platform/config.ts';

export interface OutgoingMail {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments: Array<{ filename: string; content: string; contentType: string }>;
}

/** Raised when HOORN_MAIL_URL is not set: recorded on the schedule rather than dropped. */
export class MailNotConfiguredError extends Error {
  constructor() {
    super('No outgoing mail server: set HOORN_MAIL_URL and HOORN_MAIL_FROM');
    this.name = 'MailNotConfiguredError';
  }
}

/** Sends one message through the system's outgoing mail server (HOORN_MAIL_URL). */
export async function sendSystemMail(mail: Config['mail'], message: OutgoingMail): Promise<void> {
  if (!mail) throw new MailNotConfiguredError();
  // The URL carries host, port, credentials and options (?requireTLS=true and the like) in nodemailer's own syntax.
  const transport = nodemailer.createTransport(mail.url, { from: mail.from });
  try {
    await transport.sendMail({ to: message.to, subject: message.subject, html: message.html, text: message.text, attachments: message.attachments });
  } finally {
    transport.close();
  }
}
