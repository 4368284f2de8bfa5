import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabaseUrl, testPgUrl } from '../helpers.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/hoorn.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The `hoorn` command as a user runs it: a separate process, configured only by its environment. */
export function runHoorn(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): CliResult {
  const { PATH, HOME } = process.env;
  const result = spawnSync(process.execPath, [bin, ...args], { env: { PATH, HOME, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: timeoutMs });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A database of its own for CLI processes: a fresh PGlite folder, or on the PostgreSQL pass a
 * fresh database; `cleanup` removes it.
 */
export async function cliDatabase(prefix: string): Promise<{ env: Record<string, string>; dataDir: string; cleanup: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const env: Record<string, string> = { HOORN_DATA_DIR: dataDir };
  let drop = async () => {};
  if (testPgUrl) {
    const db = await createTestDatabaseUrl();
    env.DATABASE_URL = db.url;
    drop = db.drop;
  }
  return {
    env,
    dataDir,
    async cleanup() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await drop();
    },
  };
}
