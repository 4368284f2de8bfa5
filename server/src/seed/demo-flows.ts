/**
 * Demo self-service: a Dutch and an English flow, both live, and a second web chat on the demo
 * shop (`/demo?bot=1`) that the Dutch flow greets. The shop's main chat stays a plain chat, so
 * agents can try the desk without the bot in between.
 */
import { randomBytes } from 'node:crypto';
import { parseWebchatConfig } from '../channels/webchat/webchat.config.ts';
import { insertChannel, listChannels } from '../channels/channels.store.ts';
import type { FlowInput } from '../flows/flow.ts';
import * as flowStore from '../flows/flows.store.ts';
import { starterFlow } from '../flows/starter.ts';
import { validateFlow } from '../flows/validate.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';

export const DEMO_BOT_CHANNEL = 'Webwinkel De Hoorn (chatbot)';
export const DEMO_FLOWS = { nl: 'Klantenservice (NL)', en: 'Customer service (EN)' };

/** The starter, English first: the English demo flow. */
function englishFlow(): FlowInput {
  return { ...starterFlow(), defaultLanguage: 'en', name: DEMO_FLOWS.en };
}

export async function seedDemoFlows(p: Platform, workspaceId: string): Promise<void> {
  if ((await flowStore.listFlows(p.db, workspaceId)).length > 0) return;
  await inTransaction(p, async (tx) => {
    const now = p.clock.now();
    const ids: string[] = [];
    for (const [name, definition] of [[DEMO_FLOWS.nl, { ...starterFlow(), name: DEMO_FLOWS.nl }], [DEMO_FLOWS.en, englishFlow()]] as const) {
      const row = await flowStore.insertFlow(tx, workspaceId, name, {}, now);
      const published = { ...definition, id: row.id, name, version: 1 } as Record<string, unknown>;
      const validation = validateFlow(published);
      if (!validation.ok) throw new Error(`demo flow ${name} is invalid: ${JSON.stringify(validation.issues)}`);
      await flowStore.insertVersion(tx, { flowId: row.id, workspaceId, version: 1, definition: published, publishedAt: now, publishedBy: 'system:seed' });
      await flowStore.updateFlow(tx, workspaceId, row.id, { publishedVersion: 1, draft: { ...published, version: 2 } }, now);
      await appendEvent(tx, { workspaceId, type: 'flow.published', subjectType: 'flow', subjectId: row.id, payload: { version: 1 }, actorId: 'system:seed' });
      ids.push(row.id);
    }
    if (!(await listChannels(tx, workspaceId)).some((c) => c.name === DEMO_BOT_CHANNEL)) {
      const channel = await insertChannel(
        tx,
        workspaceId,
        { type: 'webchat', name: DEMO_BOT_CHANNEL, config: parseWebchatConfig({}), secrets: p.secrets.seal({ identitySecret: randomBytes(32).toString('base64url') }) },
        now,
      );
      await appendEvent(tx, { workspaceId, type: 'channel.created', subjectType: 'channel', subjectId: channel.id, payload: { type: 'webchat' }, actorId: 'system:seed' });
      await flowStore.setBindings(tx, workspaceId, ids[0]!, [channel.id]);
    }
  });
}
