import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../../src/customers/customers.schema.ts';
import { openDatabase } from '../../src/platform/db/client.ts';
import { workspaces } from '../../src/platform/db/schema.ts';
import { cliDatabase, runHoorn } from '../cli/run.ts';

/** `hoorn orders import` as an operator runs it: a separate process on the configured database. */
describe('hoorn orders import', () => {
  let env: Record<string, string>;
  let dataDir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const db = await cliDatabase('hoorn-orders-');
    env = db.env;
    dataDir = db.dataDir;
    cleanup = db.cleanup;
  });
  afterAll(() => cleanup());

  const hoorn = (args: string[]) => runHoorn(args, env, 120_000);

  it('imports a file with a per-line report, and a second run changes nothing', { timeout: 240_000 }, async () => {
    expect(hoorn(['seed', '--demo']).stdout).toContain('Created Demo workspace');
    // A customer of the demo shop, written directly (the CLI process has exited, so PGlite is free).
    const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir });
    const [demo] = await database.db.select().from(workspaces).where(eq(workspaces.slug, 'demo'));
    const now = new Date();
    await database.db.insert(customers).values({ id: randomUUID(), workspaceId: demo!.id, name: 'Els', email: 'els@example.nl', createdAt: now, updatedAt: now });
    await database.close();

    const file = path.join(dataDir, 'orders.csv');
    fs.writeFileSync(file, ['customer_email,order_id,date,amount,currency', 'els@example.nl,W-1,2026-01-02,24.95,EUR', 'els@example.nl,W-2,2026-02-03,"1,50",EUR', 'piet@example.nl,W-3,2026-02-03,5.00,EUR'].join('\n'));
    const first = hoorn(['orders', 'import', '--workspace', 'demo', '--file', file]);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stdout).toBe(`Imported 2 orders, skipped 0 already present, 1 lines refused.\n${file}:4: no customer with email "piet@example.nl"\n`);

    const again = hoorn(['orders', 'import', '--workspace', 'demo', '--file', file, '--json']);
    expect(JSON.parse(again.stdout)).toEqual({ imported: 0, skipped: 2, errors: [{ line: 4, message: 'no customer with email "piet@example.nl"' }] });

    const missing = hoorn(['orders', 'import', '--workspace', 'nergens', '--file', file]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No workspace "nergens"');
  });
});
