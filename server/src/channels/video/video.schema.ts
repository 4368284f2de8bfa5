import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users, workspaces } from '../../platform/db/schema.ts';
import { attachments, conversations } from '../../conversations/conversations.schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * offered: an agent rings the customer; ringing: the customer asked and waits for an agent;
 * accepted: both said yes, the browsers negotiate; connected: the media negotiation finished;
 * ended, declined, missed: over (missed = nobody answered in time).
 */
export const videoCallStates = ['offered', 'ringing', 'accepted', 'connected', 'ended', 'declined', 'missed'] as const;
export type VideoCallState = (typeof videoCallStates)[number];
export const LIVE_CALL_STATES: VideoCallState[] = ['offered', 'ringing', 'accepted', 'connected'];

/** A video (or audio-only) call between the agent and the customer of one conversation. */
export const videoCalls = pgTable(
  'video_calls',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').notNull().references(() => conversations.id, { onDelete: 'cascade' }),
    offeredBy: text('offered_by', { enum: ['agent', 'customer'] }).notNull(),
    /** The agent in the call: who offered it, or who accepted the customer's request. */
    agentId: uuid('agent_id').references(() => users.id),
    state: text('state', { enum: videoCallStates }).notNull(),
    audioOnly: boolean('audio_only').notNull().default(false),
    /** The workspace allowed recording when the call was made; recorded only with consent too. */
    recordingAllowed: boolean('recording_allowed').notNull().default(false),
    recordingConsented: boolean('recording_consented').notNull().default(false),
    /** The recording the agent's desk uploaded after the call (an attachment of the workspace). */
    recordingAttachmentId: uuid('recording_attachment_id').references(() => attachments.id, { onDelete: 'set null' }),
    /** The routing task that holds the agent's capacity while the call lasts. */
    taskId: uuid('task_id'),
    startedAt: ts('started_at').notNull(),
    acceptedAt: ts('accepted_at'),
    connectedAt: ts('connected_at'),
    endedAt: ts('ended_at'),
    durationSeconds: integer('duration_seconds'),
    endReason: text('end_reason'),
    /** The call's line on the timeline, written when it ended; the desk shows the recording there. */
    endMessageId: uuid('end_message_id'),
  },
  (t) => [
    index('video_calls_conversation').on(t.workspaceId, t.conversationId, t.startedAt),
    // One live call per conversation: a second offer while one rings is refused.
    uniqueIndex('video_calls_live')
      .on(t.workspaceId, t.conversationId)
      .where(sql`${t.state} in ('offered', 'ringing', 'accepted', 'connected')`),
    index('video_calls_task').on(t.taskId),
  ],
);

/** Per workspace: whether customers may start a call, and whether calls may be recorded at all. */
export const videoSettings = pgTable('video_settings', {
  workspaceId: uuid('workspace_id').primaryKey().references(() => workspaces.id, { onDelete: 'cascade' }),
  customerMayStart: boolean('customer_may_start').notNull().default(false),
  recordingEnabled: boolean('recording_enabled').notNull().default(false),
  updatedAt: ts('updated_at').notNull(),
});
