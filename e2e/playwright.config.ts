import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

// Browser tests drive Debian's Chromium (no browser download) against a Hoorn started for the
// run: embedded PGlite in a fresh folder, demo workspace seeded, the built web app served at `/`.
const here = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.E2E_PORT ?? 3917);
const baseURL = `http://localhost:${port}`;
// The main process starts the server; workers only read baseURL, so the folder is made once.
process.env.HOORN_E2E_DATA ??= fs.mkdtempSync(path.join(os.tmpdir(), 'hoorn-e2e-'));

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  use: {
    baseURL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // The machine has no network beyond loopback: keep Chromium from trying.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `node ${path.join(here, '..', 'server', 'bin', 'hoorn.mjs')} start`,
    url: `${baseURL}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: '',
      HOORN_DATA_DIR: process.env.HOORN_E2E_DATA,
      HOORN_WEB_DIST: path.join(here, '..', 'web', 'dist'),
      LOG_LEVEL: 'warn',
      // automation-campaigns.spec.ts points a webhook endpoint at a receiver on 127.0.0.1.
      HOORN_WEBHOOKS_ALLOW_PRIVATE: '1',
    },
  },
});
