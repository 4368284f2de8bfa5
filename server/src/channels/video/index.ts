import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.ts';
import { callSignalRelay } from './signal.ts';
import { expireUnanswered, followRoutingAssignment } from './video.service.ts';
import { videoRoutes } from './video.routes.ts';

/** Video calls on web chats: WebRTC between the two browsers, signalling and state through Hoorn. */
export const videoModule = {
  init(p: Platform): void {
    p.hub.callSignalRelays.push(callSignalRelay(p));
    // A customer's request accepted in routing's own panel is the same as accepting it here.
    p.bus.subscribe({ types: ['routing.assigned'] }, (event) => {
      const { taskId, agentId, conversationId } = event.payload as { taskId?: string; agentId?: string; conversationId?: string | null };
      if (!taskId || !agentId || conversationId) return; // a call's task has no conversation of its own
      followRoutingAssignment(p, event.workspaceId, taskId, agentId).catch((error) => p.log.warn({ err: error, taskId }, 'video call did not follow routing'));
    });
    p.jobs.every('expire unanswered video calls', 10_000, () => expireUnanswered(p));
  },
  routes(app: FastifyInstance, p: Platform): void {
    videoRoutes(app, p);
  },
};
