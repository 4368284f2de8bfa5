import type { Platform } from '../platform/platform.ts';
import type { Role } from '../platform/db/schema.ts';
import { createUser, createWorkspace } from '../platform/auth/auth.service.ts';
import { countWorkspaces, findWorkspaceBySlug } from '../platform/auth/auth.store.ts';

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

/** Creates the demo workspace unless it exists. Safe to run twice. */
export async function seedDemo(p: Platform): Promise<SeedResult> {
  const existing = await findWorkspaceBySlug(p.db, DEMO_WORKSPACE.slug);
  const credentials = DEMO_USERS.map((u) => ({ email: u.email, role: u.role, password: DEMO_PASSWORD }));
  if (existing) return { created: false, workspaceId: existing.id, credentials };
  const workspace = await createWorkspace(p, DEMO_WORKSPACE, 'system:seed');
  for (const user of DEMO_USERS) await createUser(p, workspace.id, { ...user, password: DEMO_PASSWORD }, 'system:seed');
  return { created: true, workspaceId: workspace.id, credentials };
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
