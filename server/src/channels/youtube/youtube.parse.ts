import { z } from 'zod';
import type { InboundMessageEvent } from '../contract.ts';

/**
 * YouTube Data API v3 comment threads as Hoorn reads them, and the polling cursor. Pure: no I/O.
 * https://developers.google.com/youtube/v3/docs/commentThreads
 */
const commentSnippet = z.object({
  videoId: z.string().optional(),
  channelId: z.string().optional(),
  textOriginal: z.string().optional(),
  textDisplay: z.string().optional(),
  authorDisplayName: z.string().optional(),
  authorChannelId: z.object({ value: z.string() }).optional(),
  parentId: z.string().optional(),
  publishedAt: z.string(),
  updatedAt: z.string().optional(),
});
const comment = z.object({ id: z.string(), snippet: commentSnippet });
const commentThread = z.object({
  id: z.string(),
  snippet: z.object({
    channelId: z.string().optional(),
    videoId: z.string().optional(),
    topLevelComment: comment,
    totalReplyCount: z.number().optional(),
    canReply: z.boolean().optional(),
  }),
  replies: z.object({ comments: z.array(comment) }).optional(),
});
export const commentThreadList = z.object({
  kind: z.literal('youtube#commentThreadListResponse'),
  nextPageToken: z.string().optional(),
  items: z.array(commentThread).default([]),
});
export type CommentThreadList = z.infer<typeof commentThreadList>;
export type CommentThread = z.infer<typeof commentThread>;
type Comment = z.infer<typeof comment>;

/**
 * How far the polling got: the newest publishedAt seen, and the ids seen at exactly that time
 * (YouTube's timestamps are per second, so two comments can share one; a strict "newer than"
 * would lose the second, "at least as new" would repeat the first).
 */
export interface CommentCursor {
  publishedAt: string;
  idsAtPublishedAt: string[];
}

const timeOf = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

export function isAfterCursor(cursor: CommentCursor | undefined, c: { id: string; publishedAt: string }): boolean {
  if (!cursor) return true;
  const [a, b] = [timeOf(c.publishedAt), timeOf(cursor.publishedAt)];
  return a > b || (a === b && !cursor.idsAtPublishedAt.includes(c.id));
}

/** The cursor after seeing these comments (new ones only move it forward). */
export function advanceCursor(cursor: CommentCursor | undefined, seen: Array<{ id: string; publishedAt: string }>): CommentCursor | undefined {
  let next = cursor ? { publishedAt: cursor.publishedAt, idsAtPublishedAt: [...cursor.idsAtPublishedAt] } : undefined;
  for (const c of seen) {
    if (!next || timeOf(c.publishedAt) > timeOf(next.publishedAt)) next = { publishedAt: c.publishedAt, idsAtPublishedAt: [c.id] };
    else if (timeOf(c.publishedAt) === timeOf(next.publishedAt) && !next.idsAtPublishedAt.includes(c.id)) next.idsAtPublishedAt.push(c.id);
  }
  return next;
}

/** Every comment of a thread the list shows: the top one, then its replies (oldest first). */
export function commentsOf(thread: CommentThread): Array<{ comment: Comment; isTop: boolean }> {
  const replies = [...(thread.replies?.comments ?? [])].sort((a, b) => timeOf(a.snippet.publishedAt) - timeOf(b.snippet.publishedAt));
  return [{ comment: thread.snippet.topLevelComment, isTop: true }, ...replies.map((c) => ({ comment: c, isTop: false }))];
}

/**
 * A comment as a Hoorn message. Each comment thread is its own conversation (threadKey), and
 * a reply joins the conversation of the thread's top comment, whoever wrote it.
 */
export function commentToEvent(thread: CommentThread, c: Comment, isTop: boolean): InboundMessageEvent | null {
  const author = c.snippet.authorChannelId?.value;
  if (!author) return null;
  const top = thread.snippet.topLevelComment;
  const videoId = c.snippet.videoId ?? thread.snippet.videoId ?? top.snippet.videoId ?? null;
  return {
    kind: 'message',
    providerMessageId: c.id,
    from: { externalId: author, verified: true, profile: { name: c.snippet.authorDisplayName ?? undefined } },
    body: c.snippet.textOriginal ?? c.snippet.textDisplay ?? '',
    receivedAt: new Date(timeOf(c.snippet.publishedAt)),
    threadKey: `thread:${thread.id}`,
    inReplyTo: isTop ? undefined : [top.id],
    channelContext: { kind: 'comment', threadId: thread.id, topCommentId: top.id, videoId },
    meta: { commentId: c.id, threadId: thread.id, videoId, public: true },
  };
}

/**
 * The next midnight in California, when YouTube's daily quota resets. Found by correcting a
 * UTC guess with the zone's offset at that instant (twice, for the days the offset changes).
 */
export function nextPacificMidnight(now: Date): Date {
  const zone = 'America/Los_Angeles';
  const parts = (at: Date) => {
    const fields = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(at)
        .map((p) => [p.type, Number(p.value)]),
    ) as Record<string, number>;
    return fields;
  };
  const offsetAt = (at: number) => {
    const f = parts(new Date(at));
    return Date.UTC(f.year!, f.month! - 1, f.day!, f.hour!, f.minute!, f.second!) - Math.floor(at / 1000) * 1000;
  };
  const today = parts(now);
  const wallMidnight = Date.UTC(today.year!, today.month! - 1, today.day! + 1);
  let guess = wallMidnight - offsetAt(wallMidnight);
  guess = wallMidnight - offsetAt(guess);
  return new Date(guess);
}
