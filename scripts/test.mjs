#!/usr/bin/env node
// `npm test`: the whole suite, as CI runs it.
//  1. type checks of every workspace;
//  2. server unit and integration tests on PGlite, then again on PostgreSQL;
//  3. client SDK and widget unit tests; the web app and widget built (within the widget's size budget) and driven
//     in Chromium by Playwright against a running Hoorn.
// PostgreSQL: DATABASE_URL when set (the role must be allowed to create databases), otherwise a
// throwaway cluster from the installed server binaries. A missing Chromium or PostgreSQL fails the
// run loudly; nothing is skipped in silence.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgresBin, startThrowawayPostgres, stopThrowawayPostgres } from './throwaway-pg.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function banner(text) {
  process.stdout.write(`\n=== ${text} ===\n`);
}

function step(name, command, args, opts = {}) {
  banner(name);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...opts, env: { ...process.env, ...opts.env } });
  process.stdout.write(`--- ${name}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (result.status !== 0) failures.push(name);
  return result.status === 0;
}

function countVitest(file) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}

function countPlaywright(file) {
  if (!fs.existsSync(file)) return;
  const { stats } = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
}

// Preflight: say plainly what is missing and how to get it.
const missing = [];
if (!fs.existsSync(chromium)) missing.push(`Chromium (${chromium}) for the browser tests: apt-get install chromium, or set CHROMIUM_PATH`);
if (!process.env.DATABASE_URL && !findPostgresBin()) missing.push('PostgreSQL for the database tests: apt-get install postgresql, or set DATABASE_URL');
if (missing.length) {
  process.stderr.write(`\n*** npm test cannot run the whole suite on this machine. Missing:\n${missing.map((m) => `***   - ${m}`).join('\n')}\n*** (bash .ci/run installs both on Debian.)\n\n`);
  process.exit(1);
}

const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'hoorn-test-'));
let throwaway;
try {
  step('type check', 'npm', ['run', 'typecheck']);

  const vitestArgs = (name) => ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(reports, `${name}.json`)}`];
  step('server tests on PGlite', bin('vitest'), vitestArgs('pglite'), { cwd: path.join(root, 'server'), env: { HOORN_TEST_PG_URL: '' } });
  countVitest(path.join(reports, 'pglite.json'));

  let pgUrl = process.env.DATABASE_URL;
  if (!pgUrl) {
    throwaway = await startThrowawayPostgres();
    pgUrl = throwaway.url;
  }
  step('server tests on PostgreSQL', bin('vitest'), vitestArgs('postgres'), { cwd: path.join(root, 'server'), env: { HOORN_TEST_PG_URL: pgUrl } });
  countVitest(path.join(reports, 'postgres.json'));

  step('client SDK unit tests', bin('vitest'), vitestArgs('sdk'), { cwd: path.join(root, 'sdk') });
  countVitest(path.join(reports, 'sdk.json'));

  step('widget unit tests', bin('vitest'), vitestArgs('widget'), { cwd: path.join(root, 'widget') });
  countVitest(path.join(reports, 'widget.json'));

  // The widget's build also fails when it outgrows its size budget (40 KB gzipped).
  if (step('build web app and widget', 'npm', ['run', 'build'])) {
    const playwrightReport = path.join(reports, 'playwright.json');
    step('browser tests (Playwright, Chromium)', bin('playwright'), ['test', '--reporter=list,json'], {
      cwd: path.join(root, 'e2e'),
      env: { CHROMIUM_PATH: chromium, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
    });
    countPlaywright(playwrightReport);
  }
} finally {
  if (throwaway) stopThrowawayPostgres(throwaway.dir);
  fs.rmSync(reports, { recursive: true, force: true });
}

banner('summary');
if (failures.length) process.stdout.write(`failed steps: ${failures.join(', ')}\n`);
process.stdout.write(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failures.length ? 1 : 0);
