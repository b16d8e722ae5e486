import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import type { ManualClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import type { RequestPolicy } from '../../src/gitlab/http.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import { type RunningServer, startServer } from '../../src/main.js';
import type { FakeSlack } from '../fakes/slack.js';
import { tempDir } from './store.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const WEBHOOK_SECRET = 'test-webhook-secret';

export interface SlackRequestOptions {
  user?: string;
  channel?: string;
  channelName?: string;
  responseUrl?: string;
  /** Seconds added to the clock for the timestamp header (negative: older). */
  skewSeconds?: number;
  signature?: string | null;
  secret?: string;
}

export interface HttpAnswer {
  status: number;
  text: string;
  json: unknown;
}

/** Signs like Slack: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface Wgbot {
  server: RunningServer;
  url: string;
  slash(text: string, options?: SlackRequestOptions): Promise<HttpAnswer>;
  interact(payload: Record<string, unknown>, options?: SlackRequestOptions): Promise<HttpAnswer>;
  event(event: Record<string, unknown>, options?: SlackRequestOptions): Promise<HttpAnswer>;
  post(path: string, body: string, headers: Record<string, string>): Promise<HttpAnswer>;
  stop(): Promise<void>;
}

/** Starts the real server (real Bolt app, real SQLite) on 127.0.0.1:0 against the fakes. */
export async function startWgbot(options: {
  clock: ManualClock;
  slack: FakeSlack;
  gitlabUrl?: string;
  gitlabToken?: string;
  env?: Record<string, string>;
  syncQueue?: { debounceMs: number; maxWaitMs: number };
  logger?: Logger;
  gitlabPolicy?: Partial<RequestPolicy>;
  socketPingTimeoutMs?: number;
}): Promise<Wgbot> {
  const { dir, cleanup } = tempDir();
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'wgbot.db'),
    PORT: '0',
    SLACK_BOT_TOKEN: options.slack.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slack.apiUrl,
    GITLAB_URL: options.gitlabUrl ?? 'https://gitlab.example.com',
    ...(options.gitlabToken ? { GITLAB_TOKEN: options.gitlabToken } : {}),
    GITLAB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const server = await startServer({
    config,
    clock: options.clock,
    logger: options.logger ?? silentLogger,
    ...(options.gitlabPolicy ? { gitlabPolicy: options.gitlabPolicy } : {}),
    ...(options.socketPingTimeoutMs ? { socketPingTimeoutMs: options.socketPingTimeoutMs } : {}),
    slackRetries: 0,
    cron: false,
    host: '127.0.0.1',
    gitlabSleep: async () => {},
    syncQueue: options.syncQueue ?? { debounceMs: 10, maxWaitMs: 50 },
  });
  const url = `http://127.0.0.1:${server.address.port}`;

  const post = async (path: string, body: string, headers: Record<string, string>): Promise<HttpAnswer> => {
    const response = await fetch(`${url}${path}`, { method: 'POST', body, headers });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, text, json };
  };

  const signed = (body: string, contentType: string, o: SlackRequestOptions = {}) => {
    const timestamp = Math.floor(options.clock.now().getTime() / 1000) + (o.skewSeconds ?? 0);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
    };
    const signature =
      o.signature === undefined ? sign(o.secret ?? SIGNING_SECRET, timestamp, body) : o.signature;
    if (signature !== null) headers['x-slack-signature'] = signature;
    return post('/slack/events', body, headers);
  };

  let trigger = 0;
  return {
    server,
    url,
    post,
    slash(text, o = {}) {
      const body = new URLSearchParams({
        token: 'legacy-verification-token',
        team_id: 'T0FAKE',
        team_domain: 'fake',
        channel_id: o.channel ?? 'C0WG',
        channel_name: o.channelName ?? 'wg_improve-ops-quality',
        user_id: o.user ?? 'U0ADA',
        user_name: 'ada',
        command: '/wg',
        text,
        api_app_id: 'A0FAKE',
        is_enterprise_install: 'false',
        response_url: o.responseUrl ?? options.slack.responseUrl(),
        trigger_id: `trigger-${++trigger}`,
      }).toString();
      return signed(body, 'application/x-www-form-urlencoded', o);
    },
    interact(payload, o = {}) {
      const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
      return signed(body, 'application/x-www-form-urlencoded', o);
    },
    event(event, o = {}) {
      const body = JSON.stringify({
        token: 'legacy',
        team_id: 'T0FAKE',
        api_app_id: 'A0FAKE',
        type: 'event_callback',
        event_id: `Ev${++trigger}`,
        event_time: Math.floor(options.clock.now().getTime() / 1000),
        event,
      });
      return signed(body, 'application/json', o);
    },
    async stop() {
      await server.stop();
      cleanup();
    },
  };
}
