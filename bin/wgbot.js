#!/usr/bin/env node
// The `wgbot` command: runs the compiled CLI (`npm ci` builds it through the `prepare` script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("wgbot: the compiled code is missing (dist/cli.js); run 'npm run build' first\n");
  process.exit(1);
}
const { main } = await import(entry.href);
await main();
