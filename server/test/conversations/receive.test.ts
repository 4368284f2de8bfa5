import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/conversations/conversations.schema.ts';
import { customers } from '../../src/customers/customers.schema.ts';
import { listEvents } from '../../src/platform/events/events.ts';
import { makeInbound, makeTestApp, makeUser, makeWebchatChannel, makeWorkspace, loginCookie, type TestContext } from '../helpers.ts';

describe('the inbound receive path', () => {
  let t: TestContext;
  let workspaceId: string;
  let channel: Awaited<ReturnType<typeof makeWebchatChannel>>;
  let cookie: string;
  beforeAll(async () => {
    t = await makeTestApp();
    workspaceId = (await makeWorkspace(t.platform)).id;
    channel = await makeWebchatChannel(t.platform, workspaceId);
    cookie = await loginCookie(t.app, (await makeUser(t.platform, workspaceId, 'agent')).email);
  });
  afterAll(() => t.close());

  const count = async (table: typeof messages | typeof customers) =>
    Number((await t.platform.db.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.workspaceId, workspaceId)))[0]!.n);

  it('creates customer, conversation and message once, with their events', async () => {
    const first = await makeInbound(t.platform, channel, { from: 'visitor:anna', providerMessageId: 'pm-1' });
    expect(first.duplicate).toBe(false);
    const types = (await listEvents(t.platform.db, workspaceId, { limit: 10, subjectId: first.conversation.id })).map((e) => e.type);
    // Automation analyses the text (language, sentiment) onto the conversation, with its event.
    expect(types.sort()).toEqual(['conversation.analyzed', 'conversation.created', 'message.received']);
    expect(first.conversation).toMatchObject({ status: 'open', unread: 1, lastMessageId: first.message.id });
  });

  it('adds nothing when the provider delivers the same message again', async () => {
    const before = { messages: await count(messages), customers: await count(customers) };
    const replay = await makeInbound(t.platform, channel, { from: 'visitor:anna', providerMessageId: 'pm-1', body: 'different text, same id' });
    expect(replay.duplicate).toBe(true);
    expect(replay.message.body).toBe('Hallo, waar blijft mijn pakket?');
    expect({ messages: await count(messages), customers: await count(customers) }).toEqual(before);
  });

  it('stores one message when two deliveries of it race', async () => {
    const results = await Promise.all([1, 2, 3].map(() => makeInbound(t.platform, channel, { from: 'visitor:race', providerMessageId: 'pm-race' })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    const rows = await t.platform.db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.providerMessageId, 'pm-race')));
    expect(rows).toHaveLength(1);
  });

  it('keeps a customer in one conversation, and opens a new one after it was resolved', async () => {
    const a = await makeInbound(t.platform, channel, { from: 'visitor:bram' });
    const b = await makeInbound(t.platform, channel, { from: 'visitor:bram' });
    expect(b.conversation.id).toBe(a.conversation.id);
    expect(b.conversation.unread).toBe(2);
    await t.app.inject({ method: 'PATCH', url: `/api/conversations/${a.conversation.id}`, headers: { cookie }, payload: { status: 'resolved' } });
    const c = await makeInbound(t.platform, channel, { from: 'visitor:bram' });
    expect(c.conversation.id).not.toBe(a.conversation.id);
    expect(c.conversation.customerId).toBe(a.conversation.customerId);
  });

  it('wakes a pending conversation when the customer writes', async () => {
    const a = await makeInbound(t.platform, channel, { from: 'visitor:cor' });
    await t.app.inject({ method: 'PATCH', url: `/api/conversations/${a.conversation.id}`, headers: { cookie }, payload: { status: 'pending' } });
    const b = await makeInbound(t.platform, channel, { from: 'visitor:cor' });
    expect(b.conversation).toMatchObject({ id: a.conversation.id, status: 'open' });
  });
});

describe('first messages of a new customer arriving at once', () => {
  it('all land, in one conversation of one customer', async () => {
    const t = await makeTestApp();
    try {
      const workspace = await makeWorkspace(t.platform);
      const channel = await makeWebchatChannel(t.platform, workspace.id);
      const results = await Promise.all([1, 2, 3, 4].map((i) => makeInbound(t.platform, channel, { from: 'visitor:new-and-eager', body: `bericht ${i}` })));
      expect(results.every((r) => !r.duplicate)).toBe(true);
      expect(new Set(results.map((r) => r.conversation.customerId)).size).toBe(1);
      expect(new Set(results.map((r) => r.conversation.id)).size).toBe(1);

      // A known customer whose conversation was resolved: messages at once open one new conversation.
      const { inTransaction } = await import('../../src/platform/events/events.ts');
      const { updateConversationRow } = await import('../../src/conversations/conversations.store.ts');
      await inTransaction(t.platform, (tx) => updateConversationRow(tx, workspace.id, results[0]!.conversation.id, { status: 'resolved' }));
      const again = await Promise.all([1, 2, 3].map((i) => makeInbound(t.platform, channel, { from: 'visitor:new-and-eager', body: `weer ${i}` })));
      expect(new Set(again.map((r) => r.conversation.id)).size).toBe(1);
      expect(again[0]!.conversation.id).not.toBe(results[0]!.conversation.id);
    } finally {
      await t.close();
    }
  });
});
