import { z } from 'zod';
import type { InboundEvent, MediaRef } from '../contract.ts';
import { WebhookError } from '../contract.ts';

/**
 * Telegram's Update object (https://core.telegram.org/bots/api#update), the fields Hoorn reads.
 * Unknown fields are allowed: Telegram adds them over time.
 */
const user = z.object({ id: z.number().int(), is_bot: z.boolean().optional(), first_name: z.string().optional(), last_name: z.string().optional(), username: z.string().optional(), language_code: z.string().optional() });
const photoSize = z.object({ file_id: z.string(), file_unique_id: z.string().optional(), width: z.number().optional(), height: z.number().optional(), file_size: z.number().optional() });
const file = z.object({ file_id: z.string(), file_name: z.string().optional(), mime_type: z.string().optional(), file_size: z.number().optional() });
const message = z.object({
  message_id: z.number().int(),
  from: user.optional(),
  chat: z.object({ id: z.number().int(), type: z.string() }),
  date: z.number().int(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(photoSize).optional(),
  document: file.optional(),
  audio: file.optional(),
  voice: file.optional(),
  video: file.optional(),
});
export const telegramUpdate = z.object({ update_id: z.number().int(), message: message.optional(), edited_message: message.optional() });
export type TelegramUpdate = z.infer<typeof telegramUpdate>;

/** A verified Update as Hoorn events: a private chat's message; everything else is acknowledged and skipped. */
export function parseTelegramUpdate(raw: Buffer): InboundEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookError(400, 'The body is not JSON');
  }
  const parsed = telegramUpdate.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WebhookError(400, `Not a Telegram Update: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const m = parsed.data.message;
  // Group chats, edits and bots' own messages are not customer messages.
  if (!m || m.chat.type !== 'private' || !m.from || m.from.is_bot) return [];
  const media: MediaRef[] = [];
  const largestPhoto = m.photo?.reduce((a, b) => ((b.width ?? 0) * (b.height ?? 0) > (a.width ?? 0) * (a.height ?? 0) ? b : a));
  if (largestPhoto) media.push({ ref: largestPhoto.file_id, contentType: 'image/jpeg', name: `photo-${m.message_id}.jpg` });
  for (const f of [m.document, m.audio, m.voice, m.video]) if (f) media.push({ ref: f.file_id, contentType: f.mime_type, name: f.file_name });
  const name = [m.from.first_name, m.from.last_name].filter(Boolean).join(' ') || m.from.username || null;
  return [
    {
      kind: 'message',
      // message_id is unique within a chat; with the chat's id it is unique for the bot.
      providerMessageId: `${m.chat.id}:${m.message_id}`,
      from: { externalId: String(m.from.id), verified: true, profile: { name: name ?? undefined } },
      body: m.text ?? m.caption ?? '',
      media,
      language: m.from.language_code?.slice(0, 2) ?? null,
      receivedAt: new Date(m.date * 1000),
      meta: { updateId: parsed.data.update_id, chatId: m.chat.id },
    },
  ];
}
