import { and, asc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.ts';
import { messages } from '../../src/conversations/conversations.schema.ts';
import { customerIdentities, customers } from '../../src/customers/customers.schema.ts';
import { webhookRejects } from '../../src/channels/channels.schema.ts';
import { splitByAccount } from '../../src/channels/meta/meta.app.parse.ts';
import { profileFromAnswer } from '../../src/channels/meta/messaging.parse.ts';
import { fb, FakeMetaGraph, metaDelivery, wa } from '../fakes/meta.ts';
import { loginCookie, makeUser, makeWorkspace } from '../helpers.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

const TOKEN = 'EAAGm0PX4ZCpsBA-one-app-token-for-tests';
const APP_SECRET = 'one-meta-app-secret-42';
const OTHER_SECRET = 'another-apps-secret-77';
const PHONE_A = '106540352242922';
const PHONE_B = '106540352249999';
const PAGE_A = '104785398212345';
const PAGE_B = '104785398299999';
const IG = '17841400000000001';
const PSID_A = '6254338001234567';
const PSID_B = '6254338007654321';
const IGSID = '1282783012345678';
const IGSID_HIDDEN = '1282783099999999';

describe('Meta: one webhook per app (/channels/meta/<product>/webhook)', () => {
  const clock = new ManualClock('2026-01-05T09:00:00Z');
  let h: ChannelHarness;
  let fake: FakeMetaGraph;
  let second: { workspaceId: string; cookie: string };
  const ch: Record<string, { id: string; webhookUrl: string | null }> = {};

  const secrets = (verifyToken: string, appSecret = APP_SECRET) => ({ accessToken: TOKEN, appSecret, verifyToken });
  const connectIn = async (cookie: string, input: Record<string, unknown>) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/channels', headers: { cookie }, payload: input });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  beforeAll(async () => {
    h = await channelHarness({ clock });
    fake = await new FakeMetaGraph(TOKEN).start();
    fake.profiles.set(PSID_A, { first_name: 'Zoë', last_name: 'Jansen', profile_pic: 'https://cdn.example/zoe.jpg' });
    fake.profiles.set(PSID_B, { first_name: 'Piet', last_name: 'de Vries' });
    fake.profiles.set(IGSID, { username: 'jurgen.bakker' });
    const workspace = await makeWorkspace(h.t.platform);
    const admin = await makeUser(h.t.platform, workspace.id, 'admin');
    second = { workspaceId: workspace.id, cookie: await loginCookie(h.app, admin.email) };
    const graph = { graphBaseUrl: fake.baseUrl };
    ch.waA = await h.connect({ type: 'whatsapp', provider: 'meta', name: 'WhatsApp A', config: { ...graph, phoneNumberId: PHONE_A }, secrets: secrets('verify-token-in-ws-one') });
    ch.waB = await connectIn(second.cookie, { type: 'whatsapp', provider: 'meta', name: 'WhatsApp B', config: { ...graph, phoneNumberId: PHONE_B }, secrets: secrets('verify-token-in-ws-two') });
    ch.pageA = await h.connect({ type: 'messenger', provider: 'meta', name: 'Page A', config: { ...graph, pageId: PAGE_A }, secrets: secrets('verify-token-in-ws-one') });
    ch.pageB = await connectIn(second.cookie, { type: 'messenger', provider: 'meta', name: 'Page B', config: { ...graph, pageId: PAGE_B }, secrets: secrets('verify-token-in-ws-two') });
    // The same Page connected in the first workspace too: each workspace gets its copy.
    ch.pageB1 = await h.connect({ type: 'messenger', provider: 'meta', name: 'Page B (ws 1)', config: { ...graph, pageId: PAGE_B }, secrets: secrets('verify-token-in-ws-one') });
    ch.ig = await h.connect({ type: 'instagram', provider: 'meta', name: 'Instagram', config: { ...graph, instagramAccountId: IG }, secrets: secrets('verify-token-in-ws-one') });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.stop();
  });

  const post = (product: string, body: unknown, secret: string | null = APP_SECRET) => {
    const delivery = metaDelivery(body, secret);
    return h.app.inject({ method: 'POST', url: `/channels/meta/${product}/webhook`, headers: delivery.headers, payload: delivery.payload });
  };
  /** What a channel stored, in order, with the workspace it landed in. */
  const stored = async (channelId: string) =>
    (await h.t.platform.db.select({ body: messages.body, workspaceId: messages.workspaceId, direction: messages.direction }).from(messages).where(eq(messages.channelId, channelId)).orderBy(asc(messages.createdAt), asc(messages.body))).map(
      (m) => `${m.workspaceId === second.workspaceId ? 'ws2' : m.workspaceId === h.workspaceId ? 'ws1' : '?'}:${m.body}`,
    );
  const everything = async () => (await h.t.platform.db.select({ id: messages.id }).from(messages)).length;
  const customerName = async (workspaceId: string, externalId: string) => {
    const [row] = await h.t.platform.db
      .select({ name: customers.name })
      .from(customerIdentities)
      .innerJoin(customers, and(eq(customers.workspaceId, customerIdentities.workspaceId), eq(customers.id, customerIdentities.customerId)))
      .where(and(eq(customerIdentities.workspaceId, workspaceId), eq(customerIdentities.externalId, externalId)));
    return row?.name;
  };

  it('splits a delivery by account before anything is verified (pure)', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        { id: 'WABA', changes: [{ field: 'messages', value: { metadata: { phone_number_id: 'A' } } }, { field: 'messages', value: { metadata: { phone_number_id: 'B' } } }, { field: 'x', value: 'no account' }] },
        { id: 'WABA', changes: [{ field: 'messages', value: { metadata: { phone_number_id: 'A' }, n: 2 } }] },
      ],
    };
    const parts = splitByAccount('whatsapp', body);
    expect([...parts.keys()]).toEqual(['A', 'B']);
    expect(parts.get('A')!.json).toEqual({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [body.entry[0]!.changes[0]] }, { id: 'WABA', changes: [body.entry[1]!.changes[0]] }] });
    expect(parts.get('B')!.json).toEqual({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [body.entry[0]!.changes[1]] }] });
    expect([...splitByAccount('messenger', { object: 'page', entry: [{ id: 'P1' }, { id: 7 }, null, { id: 'P2' }, { id: 'P1', n: 2 }] }).entries()].map(([k, v]) => [k, (v.json as { entry: unknown[] }).entry.length])).toEqual([['P1', 2], ['P2', 1]]);
    for (const garbage of [null, 'x', 42, [], { entry: 'x' }, { entry: [1, 'a', []] }]) expect(splitByAccount('instagram', garbage).size).toBe(0);
    expect(profileFromAnswer('messenger', { first_name: 'Zoë', last_name: ' Jansen ', id: '1' })).toEqual({ name: 'Zoë Jansen' });
    expect(profileFromAnswer('instagram', { name: '', username: 'zoe' })).toEqual({ name: 'zoe' });
    expect(profileFromAnswer('instagram', { id: '1' })).toBeNull();
  });

  it('answers the handshake with the verify token of any enabled channel of the product, 403 otherwise', async () => {
    for (const [product, token] of [
      ['whatsapp', 'verify-token-in-ws-one'],
      ['whatsapp', 'verify-token-in-ws-two'],
      ['messenger', 'verify-token-in-ws-two'],
      ['instagram', 'verify-token-in-ws-one'],
    ]) {
      const ok = await h.app.inject({ method: 'GET', url: `/channels/meta/${product}/webhook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444` });
      expect([ok.statusCode, ok.body, ok.headers['content-type']]).toEqual([200, '1158201444', expect.stringMatching(/^text\/plain/)]);
    }
    const wrong = await h.app.inject({ method: 'GET', url: '/channels/meta/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).not.toContain('1158201444');
    expect((await h.app.inject({ method: 'GET', url: '/channels/meta/instagram/webhook?hub.mode=subscribe&hub.verify_token=verify-token-in-ws-two&hub.challenge=1' })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/channels/meta/whatsapp/webhook?hub.mode=unsubscribe&hub.verify_token=verify-token-in-ws-one&hub.challenge=1' })).statusCode).toBe(403);
  });

  it('refuses bad or missing signatures and deliveries for no known account (401), storing nothing', async () => {
    const body = wa.envelope([wa.message(PHONE_A, { id: 'wamid.unsigned', at: clock.now(), content: { type: 'text', text: { body: 'niet ondertekend' } } })]);
    const before = await everything();
    expect((await post('whatsapp', body, null)).statusCode).toBe(401);
    expect((await post('whatsapp', body, OTHER_SECRET)).statusCode).toBe(401);
    const tampered = metaDelivery(body, APP_SECRET);
    const res = await h.app.inject({ method: 'POST', url: '/channels/meta/whatsapp/webhook', headers: tampered.headers, payload: tampered.payload.replace('niet ondertekend', 'wel ondertekend') });
    expect(res.statusCode).toBe(401);
    const unknown = await post('whatsapp', wa.envelope([wa.message('999000999', { id: 'wamid.nobody', at: clock.now() })]));
    expect(unknown.statusCode).toBe(401);
    expect((await post('messenger', 'not json')).statusCode).toBe(401);
    expect(await everything()).toBe(before);
  });

  it('delivers one WhatsApp delivery to the channels of both numbers, in their own workspaces; unknown numbers are skipped; a replay adds nothing', async () => {
    const at = clock.now();
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            { field: 'messages', value: wa.message(PHONE_A, { id: 'wamid.A1', from: '31611111111', at, content: { type: 'text', text: { body: 'Hallo nummer A' } } }) },
            { field: 'messages', value: wa.message('999000999', { id: 'wamid.X1', at, content: { type: 'text', text: { body: 'voor een ander nummer' } } }) },
          ],
        },
        { id: '102290129340398', changes: [{ field: 'messages', value: wa.message(PHONE_B, { id: 'wamid.B1', from: '31622222222', at, content: { type: 'text', text: { body: 'Hallo nummer B' } } }) }] },
      ],
    };
    const res = await post('whatsapp', body);
    expect([res.statusCode, res.body]).toEqual([200, 'EVENT_RECEIVED']);
    expect(await stored(ch.waA!.id)).toEqual(['ws1:Hallo nummer A']);
    expect(await stored(ch.waB!.id)).toEqual(['ws2:Hallo nummer B']);
    const count = await everything();
    expect((await post('whatsapp', body)).statusCode).toBe(200);
    // The same message through the channel's own URL is the same message.
    const own = metaDelivery(wa.envelope([wa.message(PHONE_B, { id: 'wamid.B1', from: '31622222222', at, content: { type: 'text', text: { body: 'Hallo nummer B' } } })]), APP_SECRET);
    expect((await h.app.inject({ method: 'POST', url: new URL(ch.waB!.webhookUrl!).pathname, headers: own.headers, payload: own.payload })).statusCode).toBe(200);
    expect(await everything()).toBe(count);
    expect(await customerName(second.workspaceId, '31622222222')).toBe('Jürgen Bakker');
  });

  it('gives an entry only to channels whose app secret signed it: another workspace naming the same number with its own secret neither receives nor blocks it', async () => {
    const intruder = await connectIn(second.cookie, {
      type: 'whatsapp',
      provider: 'meta',
      name: 'Claims number A',
      config: { graphBaseUrl: fake.baseUrl, phoneNumberId: PHONE_A },
      secrets: { ...secrets('verify-token-of-intruder'), appSecret: 'an-entirely-different-app-secret' },
    });
    const at = clock.now();
    const res = await post('whatsapp', wa.envelope([wa.message(PHONE_A, { id: 'wamid.A-only', from: '31633333333', at, content: { type: 'text', text: { body: 'Alleen voor A' } } })]));
    expect([res.statusCode, res.body]).toEqual([200, 'EVENT_RECEIVED']);
    expect(await stored(ch.waA!.id)).toContain('ws1:Alleen voor A');
    expect(await stored(intruder.id)).toEqual([]);
    expect((await h.app.inject({ method: 'PATCH', url: `/api/channels/${intruder.id}`, headers: { cookie: second.cookie }, payload: { enabled: false } })).statusCode).toBe(200);
  });

  it('delivers a Messenger delivery for two Pages (one connected in two workspaces) and names the customers from their profiles', async () => {
    const at = clock.now();
    const body = fb.envelope('page', [
      { id: PAGE_A, messaging: [fb.message({ from: PSID_A, to: PAGE_A, mid: 'm_pageA_1', at, text: 'Vraag aan pagina A' })] },
      { id: PAGE_B, messaging: [fb.message({ from: PSID_B, to: PAGE_B, mid: 'm_pageB_1', at, text: 'Vraag aan pagina B' })] },
      { id: '100000000000000', messaging: [fb.message({ from: PSID_B, to: '100000000000000', mid: 'm_other', at, text: 'Niet van ons' })] },
    ]);
    const res = await post('messenger', body);
    expect([res.statusCode, res.body]).toEqual([200, 'EVENT_RECEIVED']);
    expect(await stored(ch.pageA!.id)).toEqual(['ws1:Vraag aan pagina A']);
    expect(await stored(ch.pageB!.id)).toEqual(['ws2:Vraag aan pagina B']);
    expect(await stored(ch.pageB1!.id)).toEqual(['ws1:Vraag aan pagina B']);
    const count = await everything();
    expect((await post('messenger', body)).statusCode).toBe(200);
    expect(await everything()).toBe(count);

    // The webhook only carries the PSID: the name comes from the profile look-up, after the answer, through the outbox.
    expect(await customerName(h.workspaceId, PSID_A)).toBeNull();
    await h.t.platform.outbox.drainOnce();
    expect(await customerName(h.workspaceId, PSID_A)).toBe('Zoë Jansen');
    expect(await customerName(second.workspaceId, PSID_B)).toBe('Piet de Vries');
    expect(await customerName(h.workspaceId, PSID_B)).toBe('Piet de Vries');
    const lookups = fake.to(new RegExp(`^/v21\\.0/${PSID_A}$`));
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.url).toBe(`/v21.0/${PSID_A}?fields=first_name,last_name,profile_pic`);
    expect(lookups[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    // A second message from a named customer asks nothing more.
    await post('messenger', fb.envelope('page', [{ id: PAGE_A, messaging: [fb.message({ from: PSID_A, to: PAGE_A, mid: 'm_pageA_2', at, text: 'Nog iets' })] }]));
    await h.t.platform.outbox.drainOnce();
    expect(fake.to(new RegExp(`^/v21\\.0/${PSID_A}$`))).toHaveLength(1);
  });

  it('Instagram through the app webhook: the username names the customer; a hidden profile leaves the name empty', async () => {
    const at = clock.now();
    const res = await post(
      'instagram',
      fb.envelope('instagram', [
        { id: IG, messaging: [fb.message({ from: IGSID, to: IG, mid: 'aWdfZAG1faXRlbTox', at, text: 'Hebben jullie maat M?' })] },
        { id: IG, messaging: [fb.message({ from: IGSID_HIDDEN, to: IG, mid: 'aWdfZAG1faXRlbToy', at, text: 'Anoniem' })] },
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(await stored(ch.ig!.id)).toEqual(['ws1:Anoniem', 'ws1:Hebben jullie maat M?']);
    await h.t.platform.outbox.drainOnce();
    expect(await customerName(h.workspaceId, IGSID)).toBe('jurgen.bakker');
    expect(fake.to(new RegExp(`^/v21\\.0/${IGSID}$`))[0]!.url).toBe(`/v21.0/${IGSID}?fields=name,username`);
    expect(await customerName(h.workspaceId, IGSID_HIDDEN)).toBeNull();
  });

  it('keeps an unparsable (validly signed) delivery with a 400 and stores none of it; malformed bodies never give a 500', async () => {
    const before = await everything();
    const bad = await post('messenger', { object: 'page', entry: [{ id: PAGE_A, messaging: [fb.message({ from: PSID_A, to: PAGE_A, mid: 'm_ok', at: clock.now(), text: 'ok' })] }, { id: PAGE_B, messaging: [{ sender: {}, recipient: { id: PAGE_B } }] }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/sender\.id/);
    expect(await everything()).toBe(before);
    const rejects = await h.t.platform.db.select().from(webhookRejects).where(eq(webhookRejects.channelId, ch.pageA!.id));
    expect(rejects).toHaveLength(1);
    expect(rejects[0]!.workspaceId).toBe(h.workspaceId);

    const item = fc.record({ sender: fc.oneof(fc.constant({ id: PSID_A }), fc.jsonValue()), recipient: fc.jsonValue(), timestamp: fc.oneof(fc.integer(), fc.string()), message: fc.jsonValue(), read: fc.jsonValue(), delivery: fc.jsonValue() }, { requiredKeys: [] });
    const body = fc
      .record({ object: fc.oneof(fc.constant('page'), fc.string()), entry: fc.oneof(fc.array(fc.record({ id: fc.constantFrom(PAGE_A, PAGE_B, '1'), messaging: fc.oneof(fc.array(item), fc.jsonValue()), changes: fc.jsonValue() }, { requiredKeys: ['id'] }), { minLength: 1 }), fc.jsonValue()) }, { requiredKeys: [] })
      .map((b) => JSON.stringify(b));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json(), body), async (payload) => {
        const res = await post('messenger', payload);
        // 401: nothing in the body names a connected Page, so there is no secret to verify it with.
        expect([200, 400, 401], res.body).toContain(res.statusCode);
      }),
      { numRuns: 40 },
    );
  });
});
