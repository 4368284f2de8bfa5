#!/usr/bin/env node
// Fails the build when dist/widget.js is 40 KB or more gzipped: the widget loads on every page
// of a customer's site, so its weight is a feature.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const LIMIT = 40 * 1024;
const file = new URL('../dist/widget.js', import.meta.url);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

let source;
try {
  source = readFileSync(file);
} catch {
  console.error(`check-size: ${file.pathname} is missing; did \`vite build\` run?`);
  process.exit(1);
}
const gzipped = gzipSync(source, { level: 9 }).length;
if (gzipped >= LIMIT) {
  console.error(`check-size: FAILED: dist/widget.js is ${kb(gzipped)} gzipped, the budget is under ${kb(LIMIT)}.`);
  process.exit(1);
}
console.log(`check-size: dist/widget.js is ${kb(source.length)} raw, ${kb(gzipped)} gzipped (budget: under ${kb(LIMIT)}).`);
