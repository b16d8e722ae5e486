// The server side of the reads benchmark (bench/reads.ts): the real app on a database the parent built, in
// its own process so its latency and peak memory are its own. argv[2] is the database file.
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { renderListText } from '../src/cli/statusText.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { startServer } from '../src/main.js';
import { allGroups } from '../src/services/groupList.js';
import { FakeSlack } from '../test/fakes/slack.js';

const path = process.argv[2]!;

// Server-side latency: from Node's parsing the request's headers to the last byte of the answer handed
// to the socket, as Node's own HTTP diagnostics channels see it.
const started = new WeakMap<IncomingMessage, number>();
let serverSide: number[] = [];
subscribe('http.server.request.start', (message) => {
  started.set((message as { request: IncomingMessage }).request, performance.now());
});
subscribe('http.server.response.finish', (message) => {
  const { request } = message as { request: IncomingMessage };
  const t0 = started.get(request);
  if (t0 !== undefined && request.url === '/slack/events') serverSide.push(performance.now() - t0);
});

const slack = await FakeSlack.start({ validateBlocks: false });
const server = await startServer({
  config: loadConfig({
    DATABASE_PATH: path,
    PORT: '0',
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: 'bench-secret',
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: 'silent',
  }),
  clock: systemClock,
  logger: silentLogger,
  slackRetries: 0,
  cron: false,
  host: '127.0.0.1',
});
process.send?.({ port: server.address.port });

/** `wgbot list` as the CLI runs it (every group, then the text), timed in this process. */
function cliList(): { ms: number; lines: number } {
  const t0 = performance.now();
  const text = renderListText(allGroups(server.store, systemClock.now()));
  return { ms: performance.now() - t0, lines: text.split('\n').length - 2 };
}

process.on('message', async (message: { cmd: string }) => {
  if (message.cmd === 'take') {
    process.send?.({ serverSide });
    serverSide = [];
  }
  if (message.cmd === 'cli-list') process.send?.(cliList());
  if (message.cmd === 'stats') process.send?.({ maxRssKb: process.resourceUsage().maxRSS });
  if (message.cmd === 'stop') {
    await server.stop();
    await slack.close();
    process.disconnect();
  }
});
