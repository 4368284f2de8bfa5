import { z } from 'zod';

/**
 * An email channel's settings. `address` is what customers write to: Hoorn's own SMTP listener
 * accepts mail for it, and replies go out from it. Outbound always goes through an SMTP relay
 * (the provider's submission server); inbound comes through the listener, an IMAP mailbox, or both.
 */
export const emailConfig = z.object({
  address: z.email().transform((a) => a.toLowerCase()),
  fromName: z.string().trim().max(100).default('Klantenservice'),
  inbound: z.enum(['smtp', 'imap', 'both']).default('smtp'),
  // Flat keys: the admin form edits one level of settings.
  smtpHost: z.string().trim().min(1).default('localhost'),
  smtpPort: z.number().int().min(1).max(65535).default(587),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  smtpSecure: z.boolean().default(false),
  smtpUser: z.string().trim().default(''),
  imapHost: z.string().trim().default(''),
  imapPort: z.number().int().min(1).max(65535).default(993),
  imapSecure: z.boolean().default(true),
  imapUser: z.string().trim().default(''),
  imapMailbox: z.string().trim().min(1).default('INBOX'),
  imapPollSeconds: z.number().int().min(5).max(3600).default(60),
}).refine((c) => c.inbound === 'smtp' || c.imapHost !== '', { path: ['imapHost'], message: 'an IMAP server is needed to read mail by IMAP' });

export const emailSecrets = z.object({
  smtpPassword: z.string().optional(),
  imapPassword: z.string().optional(),
});

export type EmailConfig = z.infer<typeof emailConfig>;
export type EmailSecrets = z.infer<typeof emailSecrets>;

export const usesImap = (c: EmailConfig) => c.inbound !== 'smtp' && c.imapHost !== '';
export const usesSmtpListener = (c: EmailConfig) => c.inbound !== 'imap';
/** The domain of the channel's address: the right-hand side of the Message-IDs Hoorn makes. */
export const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);
