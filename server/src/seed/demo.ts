import type { Platform } from '../platform/platform.ts';
import type { Role } from '../platform/db/schema.ts';
import { createUser, createWorkspace } from '../platform/auth/auth.service.ts';
import { countWorkspaces, findWorkspaceBySlug } from '../platform/auth/auth.store.ts';
import { randomBytes } from 'node:crypto';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import { insertChannel, listChannels } from '../channels/channels.store.ts';
import { parseWebchatConfig } from '../channels/webchat/webchat.config.ts';
import { insertCanned } from '../conversations/canned.store.ts';

/** The demo workspace: a Dutch web shop's customer service team. Later modules add channels, queues, articles, customers. */
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

/** Creates what is missing of the demo workspace: users, a web chat, canned responses. Safe to run twice. */
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
