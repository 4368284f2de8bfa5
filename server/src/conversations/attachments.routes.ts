import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf } from '../platform/auth/guard.ts';
import { notFound } from '../platform/errors.ts';
import { errorBody, errorResponses, idParam } from '../platform/http/schemas.ts';
import type { Platform } from '../platform/platform.ts';
import { attachmentBody } from './conversations.routes.ts';
import { defaultAgentUploadLimits, uploadAttachment } from './conversations.service.ts';
import { getAttachment } from './conversations.store.ts';

/** Request bodies of any type arrive as bytes; for upload routes only (registered inside `register`). */
export function acceptRawBodies(app: FastifyInstance, maxBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => done(null, body));
}

export function fileName(header: string | string[] | undefined): string {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return 'file';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Sends a stored file. Inline only for types a browser cannot run as a page in our origin;
 * everything else downloads, and `nosniff` stops the browser from guessing otherwise.
 */
export function sendAttachment(reply: FastifyReply, file: { name: string; contentType: string; data: Buffer }) {
  const inline = /^(image\/(png|jpeg|gif|webp)|application\/pdf|text\/plain)$/.test(file.contentType);
  reply
    .header('content-type', file.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`);
  return reply.send(file.data);
}

export function attachmentRoutes(app: FastifyInstance, p: Platform): void {
  void app.register(async (scope) => {
    acceptRawBodies(scope, defaultAgentUploadLimits.maxBytes);
    scope.withTypeProvider<ZodTypeProvider>().post('/api/attachments', {
      config: { access: 'agent' },
      schema: {
        tags: ['conversations'],
        summary: 'Upload a file (raw body; content-type and x-filename headers) to attach to a message',
        response: { 201: attachmentBody, 413: errorBody, 415: errorBody, ...errorResponses },
      },
    }, async (request, reply) => {
      const principal = principalOf(request);
      const data = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const ref = await uploadAttachment(
        p,
        principal.workspaceId,
        `user:${principal.id}`,
        { name: fileName(request.headers['x-filename']), contentType: request.headers['content-type'] ?? 'application/octet-stream', data },
        defaultAgentUploadLimits,
      );
      return reply.status(201).send(ref);
    });
  });

  app.withTypeProvider<ZodTypeProvider>().get('/api/attachments/:id', {
    config: { access: 'agent' },
    schema: { tags: ['conversations'], summary: 'Download an attachment', params: idParam },
  }, async (request, reply) => {
    const file = await getAttachment(p.db, principalOf(request).workspaceId, request.params.id);
    if (!file) throw notFound('Attachment');
    return sendAttachment(reply, file);
  });
}
