import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config.ts';

describe('configuration', () => {
  it('has working defaults: PGlite in ./data on port 3000', () => {
    const config = loadConfig({}, '/srv/hoorn');
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, dataDir: '/srv/hoorn/data', publicUrl: 'http://localhost:3000', seedDemo: true });
  });

  it('reads PostgreSQL and the other settings from the environment', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/hoorn', PORT: '8080', HOORN_SEED_DEMO: 'false', HOORN_PUBLIC_URL: 'https://cmc.example.nl/' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://u:p@db:5432/hoorn', port: 8080, seedDemo: false, publicUrl: 'https://cmc.example.nl' });
  });

  it('lists every bad variable with what it expected and what it got', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '80a', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', HOORN_OUTBOX_MAX_ATTEMPTS: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems).toContain('PORT: PORT must be a whole number between 0 and 65535 (got "80a")');
    expect(problems.find((p) => p.startsWith('DATABASE_URL'))).toContain('postgres://');
    expect(problems.find((p) => p.startsWith('LOG_LEVEL'))).toContain('(got "loud")');
    expect(problems.find((p) => p.startsWith('HOORN_OUTBOX_MAX_ATTEMPTS'))).toContain('at least 1');
  });
});
