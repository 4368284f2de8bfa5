import type { Platform } from '../platform/platform.ts';
import { visitorTopic, workspaceTopic } from '../platform/realtime/hub.ts';
import { getConversation } from './conversations.store.ts';

/**
 * Collision hints: tells the other agents who views or types in a conversation, and tells a
 * chat visitor when an agent is typing to them. Only conversations of the agent's own
 * workspace are relayed.
 */
export async function relayPresence(
  p: Platform,
  input: { workspaceId: string; conversationId: string; user: { id: string; name: string }; state: 'viewing' | 'typing' | 'left' },
): Promise<void> {
  const conversation = await getConversation(p.db, input.workspaceId, input.conversationId);
  if (!conversation) return;
  p.hub.publish(workspaceTopic(input.workspaceId), {
    type: 'presence',
    conversationId: conversation.id,
    user: input.user,
    state: input.state,
    at: p.clock.now().toISOString(),
  });
  p.hub.publish(visitorTopic(conversation.channelId, conversation.customerId), {
    type: 'agent_typing',
    typing: input.state === 'typing',
    agentName: input.user.name.split(/\s+/)[0] ?? input.user.name,
  });
}
