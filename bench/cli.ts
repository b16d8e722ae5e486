// `npm run bench -- cli`: how long `wgbot --help` takes to start, next to bare Node, and a read command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANDBOOK_SEED } from '../test/helpers/seeds.js';

const BIN = fileURLToPath(new URL('../bin/wgbot.js', import.meta.url));
const RUNS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time of `node …args` over RUNS runs (after one warm-up run), in ms. */
function timeNode(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { env, stdio: 'ignore', timeout: 30_000 });
    const ms = performance.now() - started;
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
    if (i > 0) times.push(ms);
  }
  return median(times);
}

export function benchCli(): void {
  console.log(`\n== CLI start-up: median of ${RUNS} runs (the compiled CLI; npm run build first) ==`);
  const bare = timeNode(['-e', '0']);
  const help = timeNode([BIN, '--help']);
  const version = timeNode([BIN, '--version']);
  const dir = mkdtempSync(join(tmpdir(), 'wgbot-bench-cli-'));
  try {
    const env = { ...process.env, DATABASE_PATH: join(dir, 'wgbot.db') };
    spawnSync(process.execPath, [BIN, 'import', HANDBOOK_SEED], { env, stdio: 'ignore', timeout: 30_000 });
    const list = timeNode([BIN, 'list'], env);
    console.log(`node -e 0:            ${bare.toFixed(0)} ms`);
    console.log(
      `wgbot --help:         ${help.toFixed(0)} ms (+${(help - bare).toFixed(0)} ms over bare Node)`,
    );
    console.log(`wgbot --version:      ${version.toFixed(0)} ms`);
    console.log(`wgbot list (1 group): ${list.toFixed(0)} ms (config, SQLite, status)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
