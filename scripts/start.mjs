#!/usr/bin/env node
// `npm start`: builds the web app and the chat widget if they have not been built, then runs `hoorn start`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const builds = [
  ['web', path.join(root, 'web', 'dist', 'index.html')],
  ['widget', path.join(root, 'widget', 'dist', 'widget.js')],
];
for (const [workspace, output] of builds) {
  if (fs.existsSync(output)) continue;
  process.stdout.write(`Building ${workspace} (first start)...\n`);
  const build = spawnSync(npm, ['run', 'build', '-w', workspace], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawnSync(process.execPath, [path.join(root, 'server', 'bin', 'hoorn.mjs'), 'start', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(server.status ?? 1);
