/**
 * CSAT and NPS surveys. Resolving a conversation on a channel type with a survey sends the
 * question through the normal outbound path (a bot message with its outbox row); the customer's
 * next message on that channel, within the answer window and being just a score, is the answer.
 * Anything else settles the survey as expired and goes its normal way (it reopens or opens).
 */
import { randomUUID } from 'node:crypto';
import type { ConversationChange } from '../conversations/conversations.service.ts';
import { insertBotMessages } from '../conversations/conversations.service.ts';
import { reachableOn } from '../channels/recipients.ts';
import type { InboundClaim, InboundClaimer } from '../conversations/receive.ts';
import type { Tx } from '../platform/db/client.ts';
import { appendEvent } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import { parseSurveyAnswer, SURVEYLESS_CHANNELS, surveyQuestion, type SurveyKind } from './outcomes.ts';
import * as store from './outcomes.store.ts';

const HOUR_MS = 3_600_000;

const surveyEvent = (tx: Tx, survey: store.SurveyRow, type: string, payload: Record<string, unknown>, actorId: string) =>
  appendEvent(tx, { workspaceId: survey.workspaceId, type, subjectType: 'conversation', subjectId: survey.conversationId, payload: { conversationId: survey.conversationId, surveyId: survey.id, kind: survey.kind, ...payload }, actorId });

/** Conversation hook: a resolution on a channel type with an enabled survey asks it. */
export async function surveyOnResolve(p: Platform, tx: Tx, change: ConversationChange): Promise<void> {
  if (change.kind !== 'resolved') return;
  const { workspaceId, conversation } = change;
  if (SURVEYLESS_CHANNELS.has(conversation.channelType)) return;
  const settings = (await store.getSettings(tx, workspaceId)).surveys[conversation.channelType];
  if (!settings?.enabled) return;
  const now = p.clock.now();
  const windowMs = settings.windowHours * HOUR_MS;
  // Not to a customer who cannot be reached there (erased, opted out): it would only be refused.
  if (!(await reachableOn(tx, workspaceId, conversation.customerId, conversation.channelType))) return;
  // Resolved again soon after (reopened by mistake): the customer is asked once.
  if (await store.surveySentSince(tx, workspaceId, conversation.id, new Date(now.getTime() - windowMs))) return;

  const survey = await store.insertSurvey(tx, {
    id: randomUUID(),
    workspaceId,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    channelId: conversation.channelId,
    channelType: conversation.channelType,
    kind: settings.kind,
    agentId: conversation.assigneeId,
    questionMessageId: null,
    sentAt: now,
    expiresAt: new Date(now.getTime() + windowMs),
  });
  // One open question per customer and channel: the newest is the one an answer belongs to.
  const older = await store.pendingSurveysExcept(tx, workspaceId, conversation.customerId, conversation.channelId, survey.id);
  await store.settleSurveys(tx, workspaceId, older.map((s) => s.id), { status: 'expired' }, now);
  for (const s of older) await surveyEvent(tx, s, 'survey.expired', { reason: 'superseded' }, 'system:surveys');

  const question = surveyQuestion(settings, conversation.language, conversation.channelType);
  const [message] = await insertBotMessages(p, tx, conversation, [{ body: question.body, meta: { survey: { id: survey.id, kind: survey.kind }, ...(question.buttons ? { buttons: question.buttons } : {}) } }], now);
  if (message) await store.setSurveyQuestion(tx, workspaceId, survey.id, message.id);
  await surveyEvent(tx, survey, 'survey.sent', { agentId: survey.agentId, channelType: survey.channelType }, 'system:surveys');
}

/**
 * Inbound claimer (receive.ts): the customer's open survey on this channel takes the message as
 * its answer when it is a score within the window; otherwise the survey expires and the message
 * goes its normal way.
 */
export function surveyAnswerClaimer(p: Platform): InboundClaimer {
  return async (tx, inbound): Promise<InboundClaim | undefined> => {
    const survey = await store.pendingSurvey(tx, inbound.workspaceId, inbound.customerId, inbound.channel.id);
    if (!survey) return undefined;
    const actorId = `customer:${inbound.customerId}`;
    const score = inbound.hasFiles ? null : parseSurveyAnswer(survey.kind as SurveyKind, { body: inbound.body, choice: inbound.meta?.choice });
    const late = inbound.now.getTime() > survey.expiresAt.getTime();
    if (score === null || late) {
      await store.settleSurveys(tx, survey.workspaceId, [survey.id], { status: 'expired' }, inbound.now);
      await surveyEvent(tx, survey, 'survey.expired', { reason: late ? 'window_passed' : 'not_an_answer' }, actorId);
      return undefined;
    }
    return {
      conversationId: survey.conversationId,
      async record(tx, message) {
        await store.settleSurveys(tx, survey.workspaceId, [survey.id], { status: 'answered', score, answerMessageId: message.id }, inbound.now);
        await surveyEvent(tx, survey, 'survey.answered', { score, agentId: survey.agentId }, actorId);
      },
    };
  };
}

export function presentSurvey(row: store.SurveyRow) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    score: row.score,
    agentId: row.agentId,
    sentAt: row.sentAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    settledAt: row.settledAt?.toISOString() ?? null,
  };
}
