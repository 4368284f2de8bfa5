import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDatabase, runHoorn } from './run.ts';

/** The `hoorn` command as a user runs it: a separate process configured by environment. */
describe('hoorn CLI', () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const db = await cliDatabase('hoorn-cli-');
    env = db.env;
    cleanup = db.cleanup;
  });
  afterAll(() => cleanup());

  const hoorn = (args: string[], extraEnv: Record<string, string> = {}) => runHoorn(args, { ...env, ...extraEnv });

  it('exits with a clear message on bad configuration', () => {
    const result = hoorn(['migrate'], { PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('PORT: PORT must be a whole number between 0 and 65535 (got "eighty")');
    expect(result.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });

  // Five separate processes, each compiling PGlite: slow on a loaded 2-core machine.
  it('migrates, seeds the demo (once) and creates users', { timeout: 180_000 }, () => {
    const migrate = hoorn(['migrate']);
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toMatch(/at migration (\d+) of \1/);

    const seeded = hoorn(['seed', '--demo']);
    expect(seeded.stdout).toContain('Created Demo workspace "demo"');
    expect(seeded.stdout).toContain('admin@demo.hoorn.nl');
    expect(hoorn(['seed', '--demo']).stdout).toContain('Already present');

    const created = hoorn(['user', 'create', '--email', 'nieuw@demo.hoorn.nl', '--name', 'Nieuwe Collega', '--role', 'supervisor']);
    expect(created.stdout).toMatch(/Created supervisor nieuw@demo\.hoorn\.nl in demo with password \S{10,}/);
    const duplicate = hoorn(['user', 'create', '--email', 'NIEUW@demo.hoorn.nl', '--name', 'Dubbel', '--password', 'lang genoeg wachtwoord']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
    const badRole = hoorn(['user', 'create', '--email', 'x@demo.hoorn.nl', '--name', 'X', '--role', 'boss']);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('agent, supervisor, admin');
  });
});
