/**
 * The demo's automation: the customer who complains in public (an X mention, a Facebook or YouTube
 * comment) goes up the queue at once, tagged, with a note for the agent. Safe to run twice: rules
 * are added only to a workspace that has none.
 */
import { and, eq } from 'drizzle-orm';
import { automationRules } from '../automation/automation.schema.ts';
import { RULES_READER } from '../automation/automation.service.ts';
import { insertRule } from '../automation/automation.store.ts';
import { ruleBodySchema, type RuleBody } from '../automation/rules.ts';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { startEventCursor } from '../platform/events/follower.ts';
import type { Platform } from '../platform/platform.ts';

export const DEMO_RULES: RuleBody[] = [
  ruleBodySchema.parse({
    name: 'Publieke klacht op social media: voorrang',
    trigger: 'message.received',
    conditions: { all: [{ field: 'public', op: 'is', value: true }, { field: 'sentiment', op: 'is', value: 'negative' }] },
    actions: [
      { type: 'set_priority', priority: 'high' },
      { type: 'add_tags', tags: ['publieke-klacht'] },
      { type: 'add_note', body: 'Publiek geplaatst en negatief: iedereen leest mee. Snel en persoonlijk antwoorden, liefst het gesprek naar een privébericht verplaatsen.' },
    ],
  }),
  ruleBodySchema.parse({
    name: 'Lage tevredenheid: terugbellen',
    trigger: 'csat.received',
    conditions: { all: [{ field: 'csat', op: 'lte', value: 2 }] },
    actions: [{ type: 'add_tags', tags: ['nabellen'] }, { type: 'set_attribute', key: 'followUp', value: true }],
  }),
];

export async function seedDemoAutomation(p: Platform, workspaceId: string): Promise<void> {
  await inTransaction(p, async (tx) => {
    const [existing] = await tx.select({ id: automationRules.id }).from(automationRules).where(and(eq(automationRules.workspaceId, workspaceId))).limit(1);
    if (existing) return;
    const now = p.clock.now();
    for (const body of DEMO_RULES) {
      const row = await insertRule(tx, workspaceId, body, 'system:demo', now);
      await appendEvent(tx, { workspaceId, type: 'automation.rule_created', subjectType: 'automation_rule', subjectId: row.id, payload: { name: row.name }, actorId: 'system:demo' });
    }
    await startEventCursor(tx, RULES_READER, now);
  });
}
