import { and, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../platform/db/client.ts';
import { LIVE_CALL_STATES, videoCalls, videoSettings, type VideoCallState } from './video.schema.ts';

export type VideoCallRow = typeof videoCalls.$inferSelect;
export interface VideoSettings {
  customerMayStart: boolean;
  recordingEnabled: boolean;
}

export async function getSettings(db: DbOrTx, workspaceId: string): Promise<VideoSettings> {
  const [row] = await db.select().from(videoSettings).where(eq(videoSettings.workspaceId, workspaceId));
  return { customerMayStart: row?.customerMayStart ?? false, recordingEnabled: row?.recordingEnabled ?? false };
}

export async function saveSettings(tx: Tx, workspaceId: string, settings: VideoSettings, now: Date): Promise<VideoSettings> {
  await tx
    .insert(videoSettings)
    .values({ workspaceId, ...settings, updatedAt: now })
    .onConflictDoUpdate({ target: videoSettings.workspaceId, set: { ...settings, updatedAt: now } });
  return settings;
}

export async function insertCall(tx: Tx, row: typeof videoCalls.$inferInsert): Promise<VideoCallRow> {
  const [inserted] = await tx.insert(videoCalls).values(row).returning();
  return inserted!;
}

export async function getCall(db: DbOrTx, workspaceId: string, id: string): Promise<VideoCallRow | undefined> {
  const [row] = await db.select().from(videoCalls).where(and(eq(videoCalls.workspaceId, workspaceId), eq(videoCalls.id, id)));
  return row;
}

export async function liveCallOf(db: DbOrTx, workspaceId: string, conversationId: string): Promise<VideoCallRow | undefined> {
  const [row] = await db
    .select()
    .from(videoCalls)
    .where(and(eq(videoCalls.workspaceId, workspaceId), eq(videoCalls.conversationId, conversationId), inArray(videoCalls.state, LIVE_CALL_STATES)));
  return row;
}

export async function listCalls(db: DbOrTx, workspaceId: string, conversationId: string): Promise<VideoCallRow[]> {
  return db
    .select()
    .from(videoCalls)
    .where(and(eq(videoCalls.workspaceId, workspaceId), eq(videoCalls.conversationId, conversationId)))
    .orderBy(desc(videoCalls.startedAt))
    .limit(50);
}

/** Changes a call only if it is still in one of `from`: two racing changes cannot both win. */
export async function moveCall(tx: Tx, workspaceId: string, id: string, from: VideoCallState[], set: Partial<VideoCallRow>): Promise<VideoCallRow | undefined> {
  const [row] = await tx
    .update(videoCalls)
    .set(set)
    .where(and(eq(videoCalls.workspaceId, workspaceId), eq(videoCalls.id, id), inArray(videoCalls.state, from)))
    .returning();
  return row;
}

/** Links the recording to the call, once: a second upload does not replace the first. */
export async function setRecording(tx: Tx, workspaceId: string, id: string, attachmentId: string): Promise<VideoCallRow | undefined> {
  const [row] = await tx
    .update(videoCalls)
    .set({ recordingAttachmentId: attachmentId })
    .where(and(eq(videoCalls.workspaceId, workspaceId), eq(videoCalls.id, id), isNull(videoCalls.recordingAttachmentId)))
    .returning();
  return row;
}

export async function callOfTask(db: DbOrTx, workspaceId: string, taskId: string): Promise<VideoCallRow | undefined> {
  const [row] = await db.select().from(videoCalls).where(and(eq(videoCalls.workspaceId, workspaceId), eq(videoCalls.taskId, taskId)));
  return row;
}

/** Calls nobody answered, of every workspace: offered or ringing since before `before`. */
export async function unansweredSince(db: DbOrTx, state: 'offered' | 'ringing', before: Date): Promise<VideoCallRow[]> {
  return db.select().from(videoCalls).where(and(eq(videoCalls.state, state), lt(videoCalls.startedAt, before))).limit(100);
}
