import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { AppError, badRequest } from '../platform/errors.ts';
import type { Platform } from '../platform/platform.ts';
import type { ConversationRow } from '../conversations/conversations.store.ts';
import { lastInboundMessage } from '../conversations/conversations.store.ts';
import type { PostMessageInput } from '../conversations/conversations.service.ts';
import { customerIdentities } from '../customers/customers.schema.ts';
import { and, eq, isNotNull } from 'drizzle-orm';
import { getChannel } from './channels.store.ts';
import { adapterFor } from './registry.ts';

/** When a reply window closes: hours after the customer's last message. Pure. */
export function replyWindow(hours: number | null, lastInboundAt: Date | null, now: Date) {
  if (hours === null) return null;
  const closesAt = lastInboundAt ? new Date(lastInboundAt.getTime() + hours * 3_600_000) : null;
  return { hours, closesAt: closesAt?.toISOString() ?? null, open: closesAt !== null && closesAt > now };
}

/** What a reply on this conversation may be: the channel's limits, its window now, templates, opt-out. */
export async function replyOptions(p: Platform, db: DbOrTx, conversation: ConversationRow, now: Date) {
  const channel = await getChannel(db, conversation.workspaceId, conversation.channelId);
  const adapter = channel && adapterFor(channel.type, channel.provider);
  const limits = channel && adapter ? adapter.limits(channel, adapter.config.parse(channel.config ?? {}), conversation) : { maxTextLength: 10_000, attachments: null, replyWindowHours: null };
  const last = limits.replyWindowHours === null ? undefined : await lastInboundMessage(db, conversation.workspaceId, conversation.id);
  const [optedOut] = await db
    .select({ at: customerIdentities.optedOutAt })
    .from(customerIdentities)
    .where(
      and(
        eq(customerIdentities.workspaceId, conversation.workspaceId),
        eq(customerIdentities.customerId, conversation.customerId),
        eq(customerIdentities.channelType, conversation.channelType),
        isNotNull(customerIdentities.optedOutAt),
      ),
    )
    .limit(1);
  return {
    maxTextLength: limits.maxTextLength,
    textLength: limits.textLength,
    attachments: limits.attachments,
    window: replyWindow(limits.replyWindowHours, last?.createdAt ?? null, now),
    templates: limits.templates ?? [],
    optedOut: Boolean(optedOut),
  };
}

/**
 * Refuses, before anything is stored, a reply its channel cannot carry: too long, free text
 * outside the reply window (a template is needed), an unknown template, an opted-out customer.
 */
export function replyGuard(p: Platform) {
  return async (tx: Tx, conversation: ConversationRow, input: PostMessageInput, now: Date) => {
    const options = await replyOptions(p, tx, conversation, now);
    if (options.optedOut) throw new AppError(409, 'opted_out', 'The customer opted out of messages on this channel');
    const length = options.textLength ? options.textLength(input.body) : input.body.length;
    if (length > options.maxTextLength) {
      throw badRequest('message_too_long', `This channel carries at most ${options.maxTextLength} characters; this reply has ${length}`);
    }
    if (input.template) {
      const known = options.templates.find((t) => t.name === input.template!.name && t.language === input.template!.language);
      if (!known) throw badRequest('unknown_template', `The channel has no template ${input.template.name} (${input.template.language})`);
      if (input.template.parameters.length !== known.parameters) {
        throw badRequest('template_parameters', `Template ${known.name} takes ${known.parameters} parameters; got ${input.template.parameters.length}`);
      }
      return;
    }
    if (options.window && !options.window.open) {
      throw new AppError(409, 'reply_window_closed', `The ${options.window.hours}-hour reply window is closed: send an approved template`);
    }
  };
}
