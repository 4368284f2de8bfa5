import { describe, expect, it } from 'vitest';
import { WebhookError } from '../../src/channels/contract.ts';
import type { ProviderResponse } from '../../src/channels/http.ts';
import { classifyGraphError } from '../../src/channels/meta/meta.errors.ts';
import { metaHandshake, metaSignature, verifyMetaSignature } from '../../src/channels/meta/meta.signature.ts';
import { messagingTypeFor, parseMessagingWebhook } from '../../src/channels/meta/messaging.parse.ts';
import { parseWhatsAppWebhook, whatsappMediaKind, whatsappOutbound } from '../../src/channels/meta/whatsapp.parse.ts';
import { fb, metaJson, wa } from '../fakes/meta.ts';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof WebhookError ? error.statusCode : 'other';
  }
  return 'accepted';
};

describe('Meta webhook signature (X-Hub-Signature-256)', () => {
  it('matches the channels.md vector: secret "secret", body "test"', () => {
    const expected = 'sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914';
    expect(metaSignature('secret', Buffer.from('test'))).toBe(expected);
    expect(refusal(() => verifyMetaSignature(expected, Buffer.from('test'), 'secret'))).toBe('accepted');
    expect(refusal(() => verifyMetaSignature(expected.toUpperCase().replace('SHA256=', 'sha256='), Buffer.from('test'), 'secret'))).toBe('accepted');
  });

  it('refuses a missing, malformed or wrong signature with 401', () => {
    const body = Buffer.from('test');
    expect(refusal(() => verifyMetaSignature(undefined, body, 'secret'))).toBe(401);
    expect(refusal(() => verifyMetaSignature('sha1=abc', body, 'secret'))).toBe(401);
    expect(refusal(() => verifyMetaSignature(metaSignature('other-secret', body), body, 'secret'))).toBe(401);
    expect(refusal(() => verifyMetaSignature(metaSignature('secret', 'test '), body, 'secret'))).toBe(401);
  });

  it('hashes the raw bytes: Meta’s \\u00e4 escapes sign differently from the re-serialized object', () => {
    const raw = metaJson({ text: 'Bestelling ä 👍', url: 'https://x.nl/a' });
    expect(raw).toBe('{"text":"Bestelling \\u00e4 \\ud83d\\udc4d","url":"https:\\/\\/x.nl\\/a"}');
    const reserialized = JSON.stringify(JSON.parse(raw));
    expect(reserialized).not.toBe(raw);
    const signature = metaSignature('app-secret', Buffer.from(raw));
    expect(refusal(() => verifyMetaSignature(signature, Buffer.from(raw), 'app-secret'))).toBe('accepted');
    expect(refusal(() => verifyMetaSignature(signature, Buffer.from(reserialized), 'app-secret'))).toBe(401);
  });
});

describe('Meta verification handshake', () => {
  it('echoes hub.challenge as text/plain for the right token, 403 otherwise', () => {
    expect(metaHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '1158201444' }, 'my-verify-token')).toEqual({ status: 200, contentType: 'text/plain', body: '1158201444' });
    expect(refusal(() => metaHandshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' }, 'my-verify-token'))).toBe(403);
    expect(refusal(() => metaHandshake({ 'hub.mode': 'unsubscribe', 'hub.verify_token': 'my-verify-token', 'hub.challenge': '1' }, 'my-verify-token'))).toBe(403);
    expect(refusal(() => metaHandshake({}, 'my-verify-token'))).toBe(403);
  });
});

describe('WhatsApp Cloud parsing', () => {
  const at = new Date('2026-01-05T09:00:00Z');
  const parse = (content: Record<string, unknown>, id = 'wamid.1') => parseWhatsAppWebhook(Buffer.from(metaJson(wa.envelope([wa.message('555', { id, at, content })]))), '555');

  it('reads text, interactive and button replies, location, reactions and media', () => {
    expect(parse({ type: 'text', text: { body: 'Hoi' } })[0]).toMatchObject({ kind: 'message', providerMessageId: 'wamid.1', body: 'Hoi', from: { externalId: '31612345678', profile: { name: 'Jürgen Bakker' } }, receivedAt: at });
    expect(parse({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes-1', title: 'Ja graag' } } })[0]).toMatchObject({ body: 'Ja graag', meta: { interactive: { type: 'button_reply', id: 'yes-1' } } });
    expect(parse({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'row-2', title: 'Retour', description: 'x' } } })[0]).toMatchObject({ body: 'Retour', meta: { interactive: { id: 'row-2' } } });
    expect(parse({ type: 'button', button: { text: 'Stop promoties', payload: 'STOP' } })[0]).toMatchObject({ body: 'Stop promoties', meta: { button: { payload: 'STOP' } } });
    expect(parse({ type: 'location', location: { latitude: 52.37, longitude: 4.89, name: 'Dam' } })[0]).toMatchObject({ body: '📍 52.37,4.89 Dam' });
    expect(parse({ type: 'reaction', reaction: { message_id: 'wamid.ours', emoji: '👍' } })[0]).toMatchObject({ body: '👍', meta: { reaction: { to: 'wamid.ours' } } });
    expect(parse({ type: 'reaction', reaction: { message_id: 'wamid.ours' } })).toEqual([]);
    expect(parse({ type: 'image', image: { id: '1479537139650973', mime_type: 'image/jpeg', sha256: 'x', caption: 'De doos' } })[0]).toMatchObject({
      body: 'De doos',
      media: [{ ref: '1479537139650973', contentType: 'image/jpeg', name: 'image-537139650973.jpg' }],
    });
    expect(parse({ type: 'document', document: { id: '77', mime_type: 'application/pdf', filename: 'factuur.pdf' } })[0]).toMatchObject({ media: [{ ref: '77', name: 'factuur.pdf' }] });
    expect(parse({ type: 'contacts', contacts: [] })[0]).toMatchObject({ body: '[contacts]', meta: { unsupported: true } });
  });

  it('reads statuses (with the failure reason) and skips another phone number’s changes', () => {
    const body = wa.envelope([
      wa.status('555', { id: 'wamid.out', status: 'delivered', at }),
      wa.status('555', { id: 'wamid.out2', status: 'failed', at, error: { code: 131047, title: 'Re-engagement message', message: 'Message failed to send because more than 24 hours have passed' } }),
      wa.message('999', { id: 'wamid.other', at }),
    ]);
    expect(parseWhatsAppWebhook(Buffer.from(metaJson(body)), '555')).toEqual([
      { kind: 'status', providerMessageId: 'wamid.out', status: 'delivered', at },
      { kind: 'status', providerMessageId: 'wamid.out2', status: 'failed', at, error: 'Re-engagement message: Message failed to send because more than 24 hours have passed' },
    ]);
  });

  it('refuses another product and malformed values with 400', () => {
    expect(refusal(() => parseWhatsAppWebhook(Buffer.from('{"object":"page","entry":[]}'), '555'))).toBe(400);
    expect(refusal(() => parseWhatsAppWebhook(Buffer.from('{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{}}]}]}'), '555'))).toBe(400);
    expect(refusal(() => parseWhatsAppWebhook(Buffer.from('not json'), '555'))).toBe(400);
  });

  it('picks the WhatsApp message type for a file', () => {
    expect(['image/jpeg', 'image/png', 'image/gif', 'audio/ogg; codecs=opus', 'video/mp4', 'application/pdf'].map(whatsappMediaKind)).toEqual(['image', 'image', 'document', 'audio', 'video', 'document']);
  });

  it('builds text and template bodies', () => {
    expect(whatsappOutbound('316', 'Hoi', undefined)).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '316', type: 'text', text: { preview_url: false, body: 'Hoi' } });
    expect(whatsappOutbound('316', '', { name: 'order_update', language: 'nl', parameters: ['Jürgen'] })).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '316',
      type: 'template',
      template: { name: 'order_update', language: { code: 'nl' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Jürgen' }] }] },
    });
  });
});

describe('Messenger and Instagram parsing', () => {
  const at = new Date('2026-01-05T09:00:00Z');
  it('skips echoes and other pages, reads postbacks, deliveries, reads and watermarks', () => {
    const body = fb.envelope('page', [
      {
        id: '200',
        messaging: [
          fb.message({ from: '900', to: '200', mid: 'm_1', at, text: 'Hallo' }),
          fb.message({ from: '900', to: '200', mid: 'm_echo', at, text: 'ours', echo: true }),
          fb.postback({ from: '900', to: '200', mid: 'm_2', at, title: 'Bestelstatus', payload: 'ORDER_STATUS' }),
          fb.delivery({ from: '900', to: '200', mids: ['m_out'], watermark: at.getTime() }),
          fb.read({ from: '900', to: '200', watermark: at.getTime(), at }),
        ],
      },
      { id: '201', messaging: [fb.message({ from: '901', to: '201', mid: 'm_other', at, text: 'x' })] },
    ]);
    const parsed = parseMessagingWebhook(Buffer.from(metaJson(body)), 'messenger', '200');
    expect(parsed.events.map((e) => [e.kind, e.providerMessageId, e.kind === 'message' ? e.body : e.status])).toEqual([
      ['message', 'm_1', 'Hallo'],
      ['message', 'm_2', 'Bestelstatus'],
      ['status', 'm_out', 'delivered'],
    ]);
    expect(parsed.watermarks).toEqual([{ externalId: '900', upTo: at, status: 'read' }]);
  });

  it('turns comments into per-post threads and skips the Page’s own comments', () => {
    const body = fb.envelope('page', [
      {
        id: '200',
        changes: [
          fb.feedComment({ pageId: '200', postId: '300', commentId: '400', from: { id: '900', name: 'Eva' }, message: 'Wanneer weer op voorraad?', at }),
          fb.feedComment({ pageId: '200', postId: '300', commentId: '401', from: { id: '200', name: 'Hoorn' }, message: 'ours', at }),
          { field: 'feed', value: { item: 'like', verb: 'add', post_id: '200_300', from: { id: '900' } } },
        ],
      },
    ]);
    const [comment, ...rest] = parseMessagingWebhook(Buffer.from(metaJson(body)), 'messenger', '200').events;
    expect(rest).toEqual([]);
    expect(comment).toMatchObject({ providerMessageId: '300_400', threadKey: 'post:200_300', channelContext: { kind: 'comment', postId: '200_300', commentId: '300_400' }, meta: { commentId: '300_400' }, body: 'Wanneer weer op voorraad?' });
    const ig = parseMessagingWebhook(Buffer.from(metaJson(fb.envelope('instagram', [{ id: '178', changes: [fb.igComment({ commentId: '179', mediaId: '180', from: { id: '555', username: 'eva' }, text: 'Mooi!' })] }]))), 'instagram', '178');
    expect(ig.events[0]).toMatchObject({ providerMessageId: '179', threadKey: 'media:180', channelContext: { kind: 'comment', mediaId: '180', commentId: '179' }, from: { externalId: '555', profile: { name: 'eva' } } });
  });

  it('chooses RESPONSE within 24 hours, HUMAN_AGENT up to 7 days, nothing later', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    expect(messagingTypeFor(hoursAgo(23), now)).toEqual({ messaging_type: 'RESPONSE' });
    expect(messagingTypeFor(hoursAgo(25), now)).toEqual({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(messagingTypeFor(hoursAgo(24 * 7 + 1), now)).toBeNull();
    expect(messagingTypeFor(undefined, now)).toBeNull();
  });
});

describe('Graph error classification', () => {
  const answer = (status: number, error: Record<string, unknown>): ProviderResponse => ({ status, headers: new Headers(), text: JSON.stringify({ error }), json: { error } });
  it('classifies by Graph code', () => {
    expect(classifyGraphError(answer(400, { code: 131047, message: 'Re-engagement message' }))).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/24 hours.*template/) });
    for (const code of [130429, 80007, 4, 613]) expect(classifyGraphError(answer(400, { code, message: 'slow down' }))?.kind).toBe('retryable');
    expect(classifyGraphError(answer(401, { code: 190, message: 'Error validating access token' }))?.kind).toBe('auth');
    expect(classifyGraphError(answer(500, { code: 131000, message: 'Something went wrong' }))?.kind).toBe('retryable');
    expect(classifyGraphError(answer(400, { code: 100, message: 'Invalid parameter' }))?.kind).toBe('permanent');
    expect(classifyGraphError({ status: 502, headers: new Headers(), text: 'Bad gateway', json: null })).toBeUndefined();
  });
});
