import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { nextDeliveryStatus } from '../../src/channels/inbound.ts';
import { replyWindow } from '../../src/channels/reply.ts';
import { claimPollTurn, getChannel, getChannelState, setChannelState } from '../../src/channels/channels.store.ts';
import { storeInboundEvents } from '../../src/channels/inbound.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

describe('delivery statuses only move forward', () => {
  it('follows the order queued < sent < delivered < read, and fails only before delivery', () => {
    expect(nextDeliveryStatus('queued', 'sent')).toBe('sent');
    expect(nextDeliveryStatus('sent', 'delivered')).toBe('delivered');
    expect(nextDeliveryStatus('queued', 'read')).toBe('read');
    expect(nextDeliveryStatus('delivered', 'sent')).toBeNull();
    expect(nextDeliveryStatus('read', 'delivered')).toBeNull();
    expect(nextDeliveryStatus('sent', 'failed')).toBe('failed');
    expect(nextDeliveryStatus('delivered', 'failed')).toBeNull();
    expect(nextDeliveryStatus('failed', 'delivered')).toBeNull();
    expect(nextDeliveryStatus('received', 'read')).toBeNull();
  });

  it('computes the reply window from the last inbound message', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    expect(replyWindow(null, null, now)).toBeNull();
    expect(replyWindow(24, new Date('2026-11-22T13:00:00Z'), now)).toEqual({ hours: 24, closesAt: '2026-11-23T13:00:00.000Z', open: true });
    expect(replyWindow(24, new Date('2026-11-22T11:00:00Z'), now)).toMatchObject({ open: false });
    expect(replyWindow(24, null, now)).toEqual({ hours: 24, closesAt: null, open: false });
  });
});

describe('channel framework', () => {
  const clock = new ManualClock('2026-11-23T09:00:00Z');
  let h: ChannelHarness;
  let channelId: string;

  beforeAll(async () => {
    h = await channelHarness({ clock });
    channelId = (await h.connect({ type: 'telegram', provider: 'telegram', secrets: { botToken: '1:abcdefghijklmnopqrstuvwxyz', webhookSecret: 'a-webhook-secret-1234' } })).id;
  });
  afterAll(() => h.close());

  const events = async (list: Parameters<typeof storeInboundEvents>[2]) => {
    const channel = (await getChannel(h.t.platform.db, h.workspaceId, channelId))!;
    return storeInboundEvents(h.t.platform, channel, list);
  };

  it('validates settings and secrets against the adapter, naming the field, and lists the types with their forms', async () => {
    const bad = await h.api('POST', '/api/channels', { type: 'telegram', provider: 'telegram', name: 'x', config: { apiBaseUrl: 'not a url' }, secrets: { botToken: '1:abcdefghijklmnopqrstuvwxyz', webhookSecret: 'a-webhook-secret-1234' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_channel_settings', message: expect.stringMatching(/^config\.apiBaseUrl: /) });
    const unknown = await h.api('POST', '/api/channels', { type: 'pigeon', provider: 'coop', name: 'x' });
    expect(unknown.json().error.code).toBe('unknown_channel_type');
    const types = (await h.api('GET', '/api/channels/types')).json().items;
    expect(types.find((t: { type: string }) => t.type === 'telegram')).toMatchObject({ inbound: 'webhook', testable: true, fields: expect.arrayContaining([expect.objectContaining({ key: 'botToken', kind: 'secret' })]) });
    const agentTypes = await h.app.inject({ url: '/api/channels/types', headers: { cookie: h.agent.cookie } });
    expect(agentTypes.statusCode).toBe(403);
  });

  it('keeps secrets that a change leaves empty, and never shows them', async () => {
    const changed = await h.api('PATCH', `/api/channels/${channelId}`, { name: 'Telegram NL', secrets: { botToken: '', webhookSecret: 'another-webhook-secret-99' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: 'Telegram NL', secretsSet: ['botToken', 'webhookSecret'] });
    const row = (await getChannel(h.t.platform.db, h.workspaceId, channelId))!;
    expect(h.t.platform.secrets.open(row.secrets!)).toEqual({ botToken: '1:abcdefghijklmnopqrstuvwxyz', webhookSecret: 'another-webhook-secret-99' });
    expect(row.secrets).not.toContain('another-webhook-secret');
  });

  it('threads a reply into the conversation it answers, reopening it, and keeps other threads apart', async () => {
    const from = { externalId: 'c-1', profile: { name: 'Joost' } };
    const [first] = await events([{ kind: 'message', providerMessageId: 'm-1', from, body: 'Vraag over factuur', threadKey: 'm-1' }]);
    await h.api('PATCH', `/api/conversations/${first!.conversation.id}`, { status: 'resolved' });
    const [answer] = await events([{ kind: 'message', providerMessageId: 'm-2', from, body: 'Nog één ding', threadKey: 'm-1', inReplyTo: ['m-1'] }]);
    expect(answer!.conversation.id).toBe(first!.conversation.id);
    expect(answer!.conversation.status).toBe('open');
    const [other] = await events([{ kind: 'message', providerMessageId: 'm-3', from, body: 'Ander onderwerp', threadKey: 'm-3' }]);
    expect(other!.conversation.id).not.toBe(first!.conversation.id);
    const [direct] = await events([{ kind: 'message', providerMessageId: 'm-4', from, body: 'Direct bericht' }]);
    expect([first!.conversation.id, other!.conversation.id]).not.toContain(direct!.conversation.id);
  });

  it('ignores delivery reports for messages it does not know, and a failure after delivery', async () => {
    await expect(events([{ kind: 'status', providerMessageId: 'never-sent', status: 'delivered' }])).resolves.toEqual([]);
  });

  it('refuses free text on a channel whose window is closed, before storing anything', async () => {
    // Telegram has no window: a reply is accepted; reply-options say so.
    const [conversation] = await h.conversations();
    const options = (await h.app.inject({ url: `/api/conversations/${conversation!.id}/reply-options`, headers: { cookie: h.agent.cookie } })).json();
    expect(options).toMatchObject({ maxTextLength: 4096, window: null, templates: [], optedOut: false });
    const tooLong = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversation!.id}/messages`, headers: { cookie: h.agent.cookie }, payload: { body: 'x'.repeat(4097) } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.code).toBe('message_too_long');
    const template = await h.app.inject({ method: 'POST', url: `/api/conversations/${conversation!.id}/messages`, headers: { cookie: h.agent.cookie }, payload: { body: '', template: { name: 'x', language: 'nl', parameters: [] } } });
    expect(template.json().error.code).toBe('unknown_template');
  });

  it('gives one node a polling turn per interval, whichever node asks', async () => {
    const db = h.t.platform.db;
    const t0 = clock.now();
    expect(await claimPollTurn(db, channelId, 'node-a', t0, 60_000)).toBe(true);
    expect(await claimPollTurn(db, channelId, 'node-b', new Date(t0.getTime() + 1_000), 60_000)).toBe(false);
    expect(await claimPollTurn(db, channelId, 'node-a', new Date(t0.getTime() + 59_000), 60_000)).toBe(false);
    expect(await claimPollTurn(db, channelId, 'node-b', new Date(t0.getTime() + 60_000), 60_000)).toBe(true);
    expect(await claimPollTurn(db, channelId, 'node-a', new Date(t0.getTime() + 61_000), 60_000)).toBe(false);
  });

  it('keeps poll state values as they were saved (a string that looks like a number stays a string) and clears them with null', async () => {
    const db = h.t.platform.db;
    await setChannelState(db, channelId, 'cursor', '7', clock.now());
    expect(await getChannelState(db, channelId, 'cursor')).toBe('7');
    await setChannelState(db, channelId, 'cursor', null, clock.now());
    expect(await getChannelState(db, channelId, 'cursor')).toBeUndefined();
  });

  it('answers 404 for a webhook of an unknown, mistyped or switched-off channel', async () => {
    const post = (url: string) => h.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect((await post('/channels/telegram/00000000-0000-4000-8000-000000000000/webhook')).statusCode).toBe(404);
    expect((await post('/channels/telegram/not-a-uuid/webhook')).statusCode).toBe(404);
    expect((await post(`/channels/webchat/${channelId}/webhook`)).statusCode).toBe(404);
    await h.api('PATCH', `/api/channels/${channelId}`, { enabled: false });
    expect((await post(`/channels/telegram/${channelId}/webhook`)).statusCode).toBe(404);
  });
});
