import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { pino } from 'pino';
import { buildApp } from '../src/app.ts';
import type { Clock } from '../src/platform/clock.ts';
import { loadConfig, type Config } from '../src/platform/config.ts';
import { openPglite, openPostgres, type Database } from '../src/platform/db/client.ts';
import { createPlatform, type RunningPlatform } from '../src/platform/create.ts';
import { createUser, createWorkspace } from '../src/platform/auth/auth.service.ts';
import type { Role } from '../src/platform/db/schema.ts';

/**
 * Tests run on PGlite by default and on PostgreSQL when the test runner sets
 * HOORN_TEST_PG_URL (a server where the test may create databases): every test file then gets a
 * fresh database of its own, dropped at the end.
 */
export const testPgUrl = process.env.HOORN_TEST_PG_URL || undefined;
export const databaseKind = testPgUrl ? 'postgres' : 'pglite';

export async function createTestDatabaseUrl(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!testPgUrl) throw new Error('HOORN_TEST_PG_URL is not set');
  const name = `hoorn_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testPgUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: testPgUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function openTestDatabase(): Promise<Database> {
  if (!testPgUrl) return openPglite(undefined);
  const { url, drop } = await createTestDatabaseUrl();
  const database = await openPostgres(url, 4);
  return { ...database, close: async () => { await database.close(); await drop(); } };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ LOG_LEVEL: 'silent', HOORN_SEED_DEMO: 'false', HOORN_SECRET: 'test-secret-test-secret-test-secret-1234' }), webDist: undefined, ...overrides };
}

export interface TestContext {
  platform: RunningPlatform;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** A platform on a fresh database and the HTTP app on top of it, for `app.inject`. Workers are not started. */
export async function makeTestApp(opts: { clock?: Clock; random?: () => number; config?: Partial<Config>; database?: Database } = {}): Promise<TestContext> {
  const platform = await createPlatform(testConfig(opts.config), {
    database: opts.database ?? (await openTestDatabase()),
    clock: opts.clock,
    random: opts.random,
    log: pino({ level: 'silent' }),
  });
  const app = await buildApp(platform);
  await app.ready();
  return {
    platform,
    app,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}

export const TEST_PASSWORD = 'correct horse battery';

let counter = 0;
export async function makeWorkspace(p: RunningPlatform, slug = `ws-${++counter}-${randomBytes(3).toString('hex')}`) {
  return createWorkspace(p, { slug, name: `Workspace ${slug}` });
}

export async function makeUser(p: RunningPlatform, workspaceId: string, role: Role, email = `${role}-${++counter}@example.nl`) {
  return createUser(p, workspaceId, { email, name: `${role} ${counter}`, role, password: TEST_PASSWORD }, null);
}

/** Logs in through the API and returns the Cookie header value. */
export async function loginCookie(app: FastifyInstance, email: string, password = TEST_PASSWORD, workspace?: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password, workspace } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'hoorn_session');
  if (!cookie) throw new Error('no session cookie');
  return `hoorn_session=${cookie.value}`;
}

/** A web chat channel with a known identity secret. */
export async function makeWebchatChannel(p: RunningPlatform, workspaceId: string, config: Record<string, unknown> = {}, identitySecret = 'site-secret-for-tests') {
  const { inTransaction } = await import('../src/platform/events/events.ts');
  const { insertChannel } = await import('../src/channels/channels.store.ts');
  const { parseWebchatConfig } = await import('../src/channels/webchat/webchat.config.ts');
  return inTransaction(p, (tx) =>
    insertChannel(tx, workspaceId, { type: 'webchat', name: 'Chat', config: parseWebchatConfig(config), secrets: p.secrets.seal({ identitySecret }) }, p.clock.now()),
  );
}

/** A customer message arriving on a channel through the one inbound path. */
export async function makeInbound(p: RunningPlatform, channel: { id: string; workspaceId: string; type: string }, opts: { from?: string; body?: string; providerMessageId?: string } = {}) {
  const { receiveInbound } = await import('../src/conversations/receive.ts');
  return receiveInbound(p, {
    workspaceId: channel.workspaceId,
    channel: { id: channel.id, type: channel.type },
    providerMessageId: opts.providerMessageId ?? `pm-${randomBytes(6).toString('hex')}`,
    from: { externalId: opts.from ?? `visitor:${randomBytes(4).toString('hex')}`, profile: { name: 'Klant Test' } },
    body: opts.body ?? 'Hallo, waar blijft mijn pakket?',
  });
}
