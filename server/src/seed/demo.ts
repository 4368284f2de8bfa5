import type { Platform } from '../platform/platform.ts';
import type { Role } from '../platform/db/schema.ts';
import { createUser, createWorkspace } from '../platform/auth/auth.service.ts';
import { countWorkspaces, findWorkspaceBySlug, listUsers } from '../platform/auth/auth.store.ts';
import { randomBytes } from 'node:crypto';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { insertChannel, listChannels } from '../channels/channels.store.ts';
import { parseWebchatConfig } from '../channels/webchat/webchat.config.ts';
import { emailConfig } from '../channels/email/email.config.ts';
import { insertCanned } from '../conversations/canned.store.ts';
import { DEFAULT_CAPACITY } from '../routing/engine/model.ts';
import { insertQueue, insertWorkflow, listQueues, listWorkflows, loadConfig, saveAgentProfile, saveSettings } from '../routing/routing.store.ts';
import { routingOf } from '../routing/routing.service.ts';
import { configProblem, DEFAULT_SETTINGS } from '../routing/settings.ts';
import { seedDemoCustomers } from './demo-customers.ts';
import { seedDemoFlows } from './demo-flows.ts';
import { seedDemoKnowledge } from './demo-knowledge.ts';
import { seedDemoOutcomes } from './demo-outcomes.ts';
import { seedDemoSla } from './demo-sla.ts';
import { seedDemoAutomation } from './demo-automation.ts';
import { seedDemoHistory } from './demo-history.ts';

/** The demo's support address (the email channel). */
export const DEMO_EMAIL_ADDRESS = 'klantenservice@demo.hoorn.nl';

/** The demo workspace: a Dutch web shop's customer service team. Later modules add articles, customers. */
export const DEMO_WORKSPACE = { slug: 'demo', name: 'Webwinkel De Hoorn' };
/** A demo password, printed at start-up; the demo is for trying Hoorn on one's own machine. */
export const DEMO_PASSWORD = 'hoorn-demo-2026';
export const DEMO_USERS: Array<{ email: string; name: string; role: Role }> = [
  { email: 'admin@demo.hoorn.nl', name: 'Annelies de Vries', role: 'admin' },
  { email: 'supervisor@demo.hoorn.nl', name: 'Sander Jansen', role: 'supervisor' },
  { email: 'fatima@demo.hoorn.nl', name: 'Fatima El Amrani', role: 'agent' },
  { email: 'daan@demo.hoorn.nl', name: 'Daan Bakker', role: 'agent' },
  { email: 'lotte@demo.hoorn.nl', name: 'Lotte Visser', role: 'agent' },
];

export interface SeedResult {
  created: boolean;
  workspaceId: string;
  credentials: Array<{ email: string; role: Role; password: string }>;
}

const DEMO_CANNED = [
  { shortcode: 'hallo', title: 'Begroeting', body: 'Hallo {{customer.first_name}}, je spreekt met {{agent.first_name}} van Webwinkel De Hoorn. Waarmee kan ik je helpen?' },
  { shortcode: 'bezorging', title: 'Bezorgtijden', body: 'Bestellingen die op werkdagen vóór 22:00 binnen zijn, bezorgen we de volgende dag. Je ontvangt een track-and-trace-code per e-mail.' },
  { shortcode: 'retour', title: 'Retourneren', body: 'Je kunt je bestelling binnen 30 dagen gratis retourneren via je account onder "Mijn bestellingen". Het geld staat binnen 5 werkdagen weer op je rekening.' },
  { shortcode: 'bedankt', title: 'Afsluiting', body: 'Graag gedaan, {{customer.first_name}}! Nog een fijne dag gewenst.' },
];

/** Routing profiles of the demo agents: skill proficiency 1..5 and the languages they chat in. */
export const DEMO_AGENT_PROFILES: Record<string, { skills: Record<string, number>; languages: string[] }> = {
  'fatima@demo.hoorn.nl': { skills: { support: 5, billing: 4 }, languages: ['nl', 'en', 'ar'] },
  'daan@demo.hoorn.nl': { skills: { support: 2, sales: 4 }, languages: ['nl', 'en'] },
  'lotte@demo.hoorn.nl': { skills: { support: 4, billing: 2 }, languages: ['nl', 'de'] },
};

/**
 * Routing out of the box: two queues, one default workflow that sends billing questions to the
 * billing specialists first, and skills for the agents. Agents stay offline until they pick
 * 'available' in the header. Only when the workspace has no routing configuration yet.
 */
async function seedRouting(p: Platform, workspaceId: string): Promise<void> {
  const [queues, workflows] = await Promise.all([listQueues(p.db, workspaceId), listWorkflows(p.db, workspaceId)]);
  if (queues.length > 0 || workflows.length > 0) return;
  const users = await listUsers(p.db, workspaceId);
  await inTransaction(p, async (tx) => {
    const now = p.clock.now();
    const general = await insertQueue(tx, workspaceId, { name: 'Algemeen', eligibility: '', order: 'fifo', serviceLevelSeconds: 60 }, now);
    // A millisecond later, so lists (ordered by creation) show Algemeen first.
    const invoices = await insertQueue(tx, workspaceId, { name: 'Facturen', eligibility: 'agent.skills HAS billing', order: 'fifo', serviceLevelSeconds: 60 }, new Date(now.getTime() + 1));
    const workflow = await insertWorkflow(
      tx,
      workspaceId,
      {
        name: 'Standaard',
        filters: [
          {
            name: 'Facturen',
            expression: 'task.topic == billing',
            steps: [
              { queueId: invoices.id, agentExpression: 'agent.skills.billing >= 4', timeoutSeconds: 30 },
              { queueId: invoices.id, agentExpression: 'agent.skills.billing >= 1', timeoutSeconds: 60 },
              { queueId: general.id },
            ],
          },
        ],
        defaultSteps: [
          { queueId: general.id, agentExpression: 'agent.skills.support >= 3', timeoutSeconds: 30, strategy: 'longest-idle' },
          { queueId: general.id },
        ],
      },
      now,
    );
    await saveSettings(tx, workspaceId, { ...DEFAULT_SETTINGS, skills: ['support', 'billing', 'sales'], taskFields: { ...DEFAULT_SETTINGS.taskFields, topic: 'string', language: 'string' }, defaultWorkflowId: workflow.id }, now);
    for (const user of users) {
      const profile = DEMO_AGENT_PROFILES[user.email];
      if (!profile) continue;
      await saveAgentProfile(tx, workspaceId, user.id, { ...profile, attributes: {}, capacity: DEFAULT_CAPACITY }, now);
    }
    // The same check the API makes before it stores configuration: the engine must load it.
    const problem = configProblem((await loadConfig(tx, workspaceId)).config);
    if (problem) throw new Error(`demo routing configuration does not load: ${problem}`);
    await appendEvent(tx, { workspaceId, type: 'routing.settings_changed', subjectType: 'routing_config', subjectId: workspaceId, actorId: 'system:seed' });
    // A router already leading this workspace reloads; one that starts later loads it anyway.
    await routingOf(p).enqueue(tx, workspaceId, { type: 'config' });
    for (const user of users) if (DEMO_AGENT_PROFILES[user.email]) await routingOf(p).enqueue(tx, workspaceId, { type: 'agent.refresh', agentId: user.id });
  });
}

/** Creates what is missing of the demo workspace: users, a web chat, an email address, canned responses, routing. Safe to run twice. */
export async function seedDemo(p: Platform): Promise<SeedResult> {
  const credentials = DEMO_USERS.map((u) => ({ email: u.email, role: u.role, password: DEMO_PASSWORD }));
  let workspace = await findWorkspaceBySlug(p.db, DEMO_WORKSPACE.slug);
  const created = !workspace;
  if (!workspace) {
    workspace = await createWorkspace(p, DEMO_WORKSPACE, 'system:seed');
    for (const user of DEMO_USERS) await createUser(p, workspace.id, { ...user, password: DEMO_PASSWORD }, 'system:seed');
  }
  const workspaceId = workspace.id;
  if (!(await listChannels(p.db, workspaceId)).some((c) => c.type === 'webchat')) {
    await inTransaction(p, async (tx) => {
      const now = p.clock.now();
      const channel = await insertChannel(
        tx,
        workspaceId,
        { type: 'webchat', name: 'Webwinkel De Hoorn', config: parseWebchatConfig({}), secrets: p.secrets.seal({ identitySecret: randomBytes(32).toString('base64url') }) },
        now,
      );
      await appendEvent(tx, { workspaceId, type: 'channel.created', subjectType: 'channel', subjectId: channel.id, payload: { type: 'webchat' }, actorId: 'system:seed' });
      for (const c of DEMO_CANNED) await insertCanned(tx, workspaceId, c, now);
    });
  }
  if (!(await listChannels(p.db, workspaceId)).some((c) => c.type === 'email')) {
    // Mail to this address arrives once Hoorn's mail server runs (HOORN_SMTP_PORT); replies need
    // a relay, set in the channel's settings (until then they fail with the reason in the desk).
    await inTransaction(p, async (tx) => {
      const channel = await insertChannel(
        tx,
        workspaceId,
        { type: 'email', provider: 'smtp', name: 'Klantenservice (e-mail)', config: emailConfig.parse({ address: DEMO_EMAIL_ADDRESS, fromName: 'Klantenservice De Hoorn' }), secrets: null },
        p.clock.now(),
      );
      await appendEvent(tx, { workspaceId, type: 'channel.created', subjectType: 'channel', subjectId: channel.id, payload: { type: 'email' }, actorId: 'system:seed' });
    });
  }
  await seedRouting(p, workspaceId);
  await seedDemoCustomers(p, workspaceId);
  await seedDemoKnowledge(p, workspaceId);
  await seedDemoFlows(p, workspaceId);
  await seedDemoOutcomes(p, workspaceId);
  await seedDemoSla(p, workspaceId);
  const agents = (await listUsers(p.db, workspaceId)).filter((u) => u.role === 'agent').map((u) => u.id);
  await seedDemoHistory(p, workspaceId, { agents, queues: (await listQueues(p.db, workspaceId)).map((q) => q.id) });
  // After the history: rules act on what happens from now on, not on the made-up past.
  await seedDemoAutomation(p, workspaceId);
  return { created, workspaceId, credentials };
}

/** On first start of an empty database the demo is seeded, so `npm start` shows something to log in to. */
export async function seedDemoIfEmpty(p: Platform): Promise<SeedResult | undefined> {
  if ((await countWorkspaces(p.db)) > 0) return undefined;
  return seedDemo(p);
}

export function formatCredentials(result: SeedResult): string {
  const width = Math.max(...result.credentials.map((c) => c.email.length));
  return [
    `Demo workspace "${DEMO_WORKSPACE.slug}" — log in with:`,
    ...result.credentials.map((c) => `  ${c.email.padEnd(width)}  ${c.password}  (${c.role})`),
  ].join('\n');
}
