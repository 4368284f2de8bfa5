import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.ts';
import { getAttachment } from '../../conversations/conversations.store.ts';
import { sendAttachment } from '../../conversations/attachments.routes.ts';
import { getChannelById } from '../channels.store.ts';
import type { ChannelAdapter } from '../contract.ts';
import { hmacHex, safeEqual } from '../http.ts';
import { contextOf } from '../inbound.ts';

/** How long a file link in an outbound message works: long enough for a provider's or integrator's retries. */
export const FILE_LINK_SECONDS = 7 * 24 * 3600;

/** The signature of a file link: HMAC-SHA256 (key: a secret of the channel) over channel, file and expiry. Pure. */
export const fileLinkSignature = (key: string, channelId: string, attachmentId: string, expires: number) => hmacHex('sha256', key, `file.${channelId}.${attachmentId}.${expires}`);

/**
 * A public, expiring link to an agent's attachment, for providers that fetch media by URL
 * (Twilio's MediaUrl) and for the API channel's integrators: the desk's own download needs a session.
 */
export function fileLink(publicUrl: string, channel: { id: string; type: string }, attachmentId: string, key: string, nowMs: number): string {
  const expires = Math.floor(nowMs / 1000) + FILE_LINK_SECONDS;
  return `${publicUrl}/channels/${channel.type}/${channel.id}/files/${attachmentId}?expires=${expires}&signature=${fileLinkSignature(key, channel.id, attachmentId, expires)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Serves the links made by `fileLink` for one channel type; `keyOf` picks the channel's signing secret. */
export function fileLinkRoute<C, S>(app: FastifyInstance, p: Platform, adapter: ChannelAdapter<C, S>, keyOf: (secrets: S) => string): void {
  app.get<{ Params: { channelId: string; attachmentId: string }; Querystring: { expires?: string; signature?: string } }>(
    `/channels/${adapter.type}/:channelId/files/:attachmentId`,
    { config: { access: 'public' } },
    async (request, reply) => {
      const { channelId, attachmentId } = request.params;
      const expires = Number(request.query.expires);
      const signature = String(request.query.signature ?? '');
      const gone = () => reply.code(404).send({ error: { code: 'not_found', message: 'No such file, or the link expired' } });
      if (!UUID.test(channelId) || !UUID.test(attachmentId) || !Number.isInteger(expires) || expires * 1000 < p.clock.now().getTime()) return gone();
      const channel = await getChannelById(p.db, channelId);
      if (!channel || channel.type !== adapter.type || channel.provider !== adapter.provider) return gone();
      const key = keyOf(contextOf(p, adapter, channel).secrets);
      if (!safeEqual(fileLinkSignature(key, channelId, attachmentId, expires), signature)) return gone();
      const file = await getAttachment(p.db, channel.workspaceId, attachmentId);
      if (!file) return gone();
      return sendAttachment(reply, file);
    },
  );
}
