#!/usr/bin/env node
// `npm run typecheck`: every workspace's TypeScript, checked in parallel (one tsc per core), since
// the projects do not depend on each other's output. Prints each project's errors together.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
// Largest first, so the long ones do not start last.
const projects = ['server', 'web', 'bench', 'e2e', 'sdk', 'widget'];

function check(project) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(tsc, ['-p', project, '--noEmit'], { cwd: root });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      process.stdout.write(`${code === 0 ? 'ok  ' : 'FAIL'} ${project} (${((Date.now() - started) / 1000).toFixed(1)} s)\n${output}`);
      resolve(code === 0);
    });
  });
}

const queue = [...projects];
const results = [];
const workers = Array.from({ length: Math.min(queue.length, Math.max(1, os.availableParallelism())) }, async () => {
  while (queue.length) results.push(await check(queue.shift()));
});
await Promise.all(workers);
process.exit(results.every(Boolean) ? 0 : 1);
