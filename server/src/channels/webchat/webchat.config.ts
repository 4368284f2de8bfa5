import { z } from 'zod';

/** The public settings of a web chat channel, with defaults for everything. */
export const webchatConfig = z.object({
  greeting: z
    .object({ nl: z.string(), en: z.string() })
    .default({ nl: 'Hallo! Waarmee kunnen we je helpen?', en: 'Hi! How can we help you?' }),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).default('#0b7285'),
  requireEmail: z.boolean().default(false),
  consentText: z
    .object({ nl: z.string(), en: z.string() })
    .default({
      nl: 'Ik ga akkoord dat mijn gegevens worden gebruikt om mijn vraag te beantwoorden.',
      en: 'I agree that my details are used to answer my question.',
    }),
  attachments: z
    .object({ maxBytes: z.number().int().positive().max(25 * 1024 * 1024), types: z.array(z.string()).min(1) })
    .default({ maxBytes: 10 * 1024 * 1024, types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] }),
  /** Sites allowed to embed the widget (origins); empty means any. */
  allowedOrigins: z.array(z.string()).default([]),
  /**
   * The organisation's push endpoint: Hoorn POSTs a signed notice of each agent or bot message for
   * a visitor without an open connection (their app is closed), so the app can notify. Signed with
   * the `pushSecret` secret; see docs/conversations-api.md, "Push for apps".
   */
  pushUrl: z
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'the URL must start with http:// or https://')
    .nullable()
    .default(null),
});

export type WebchatConfig = z.infer<typeof webchatConfig>;

export const webchatSecrets = z.object({
  /** Signs `userHash` for verified visitors; shared with the organisation's site back end. */
  identitySecret: z.string().min(16, 'at least 16 characters'),
  /** Signs push notices (HMAC-SHA256); shared with the organisation's push endpoint. Write-only. */
  pushSecret: z.string().min(16, 'at least 16 characters').optional(),
});
export type WebchatSecrets = z.infer<typeof webchatSecrets>;

export const parseWebchatConfig = (raw: unknown): WebchatConfig => webchatConfig.parse(raw ?? {});
