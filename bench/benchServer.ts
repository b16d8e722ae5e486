// What the server-side benchmarks share: the real app on a database file, in the bench's child process, with
// its latency taken where Node's own HTTP diagnostics channels see a Slack request start and end.
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { silentLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/main.js';
import { FakeSlack } from '../test/fakes/slack.js';

export interface BenchServer {
  server: RunningServer;
  slack: FakeSlack;
  /** Server-side milliseconds of each `/slack/events` request since the last call: headers parsed → answer written. */
  takeServerSide(): number[];
}

export async function startBenchServer(path: string): Promise<BenchServer> {
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
  const takeServerSide = () => {
    const taken = serverSide;
    serverSide = [];
    return taken;
  };
  return { server, slack, takeServerSide };
}
