import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type SocketModeReceiver } from '@slack/bolt';
import { ConfigError } from '../config.js';
import type { Logger } from '../logger.js';
import { boltLogger } from './boltLogger.js';
import { boundedClientOptions } from './webClients.js';
import { type ListenerDeps, registerListeners } from './listeners/index.js';
import type { IngressLimits } from '../http/ingress.js';
import { type RouteHandler, WgbotReceiver } from './receiver.js';
import { tellStoreFailures } from './storeFailures.js';
import { keepReconnecting, socketModeReceiver, watchSocket, withinBudget } from './socketMode.js';

export interface SlackAppOptions {
  botToken: string;
  signingSecret?: string | undefined;
  /** Set: Socket Mode (no public URL needed); unset: HTTP on `port`. */
  appToken?: string | undefined;
  apiUrl: string;
  now: () => Date;
  logger: Logger;
  /** Retries of the Web API client; tests set 0 (the default retries for ~30 min; docs/architecture.md). */
  retries?: number;
  routes: Record<string, Partial<Record<'GET' | 'POST', RouteHandler>>>;
  /** Caps and timeouts of the public port (DEFAULT_INGRESS_LIMITS when unset). */
  ingress?: Partial<IngressLimits>;
  /** How long start may take to reach Slack (auth.test; in Socket Mode the WebSocket too). Default 60 s. */
  startTimeoutMs?: number;
  /** Socket Mode's pong timeout and reconnect delay step (default 5 s); tests shorten it. */
  socketPingTimeoutMs?: number;
  /** The services the `/wg` subcommands, buttons, events and forms use. */
  listeners: ListenerDeps;
}

export interface SlackApp {
  app: App;
  /** Rejects with StartAborted when `signal` aborts first, and within the start budget when Slack does not answer. */
  start(port: number, host: string, signal?: AbortSignal): Promise<AddressInfo>;
  stop(): Promise<void>;
  /** Socket Mode: whether the WebSocket to Slack is up. HTTP mode: null (Slack calls us). */
  connected(): boolean | null;
}

const START_BUDGET_MS = 60_000;
/** A stop must leave time for the rest of the shutdown: Docker kills 10 s after SIGTERM. */
const SLACK_STOP_MS = 1_500;

/**
 * The Slack error code when Slack refused a token (as `data.error`, or in the message of Socket Mode's
 * connection errors); null for any other failure.
 */
function refusedToken(error: unknown): string | null {
  const code = (error as { data?: { error?: string } }).data?.error ?? '';
  const found = /invalid_auth|not_authed|account_inactive|token_revoked|not_allowed_token_type/.exec(
    `${code} ${(error as Error).message ?? ''}`,
  );
  return found ? found[0] : null;
}

type BoltLogger = ReturnType<typeof boltLogger>;
type Receiver = WgbotReceiver | SocketModeReceiver;
/** Whether the WebSocket to Slack is up (Socket Mode only). */
type SocketWatch = { connected: () => boolean };

/** wgbot's HTTP receiver: Slack's events and wgbot's routes in HTTP mode, wgbot's routes alone in Socket Mode. */
function httpReceiver(options: SlackAppOptions, bolt: BoltLogger, signingSecret: string): WgbotReceiver {
  return new WgbotReceiver({
    signingSecret,
    now: options.now,
    logger: options.logger,
    boltLogger: bolt,
    routes: options.routes,
    ...(options.ingress ? { ingress: options.ingress } : {}),
  });
}

/** The receiver Bolt gets: Socket Mode's, watched for its connection, when there is an app token. */
function createReceiver(
  options: SlackAppOptions,
  bolt: BoltLogger,
): { receiver: Receiver; socket: SocketWatch | null } {
  if (options.appToken) {
    const receiver = socketModeReceiver({
      appToken: options.appToken,
      apiUrl: options.apiUrl,
      logger: bolt,
      retries: options.retries,
      pingTimeoutMs: options.socketPingTimeoutMs,
    });
    return { receiver, socket: watchSocket(receiver.client, options.logger) };
  }
  if (!options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
  return { receiver: httpReceiver(options, bolt, options.signingSecret), socket: null };
}

/**
 * Slack redelivers an event it thinks went unanswered (X-Slack-Retry-Num). Bolt has already acknowledged
 * it; the first delivery did the work, so a retry does nothing again.
 */
function ignoreSlackRetries(app: App, logger: Logger): void {
  app.use(async ({ body, context, next }) => {
    if ((context.retryNum ?? 0) > 0 && (body as { type?: string }).type === 'event_callback') {
      logger.debug({ retry: context.retryNum, reason: context.retryReason }, 'slack retry ignored');
      return;
    }
    await next();
  });
}

function logListenerErrors(app: App, logger: Logger): void {
  app.error(async (error) => {
    logger.error(
      { err: error.message, code: (error as { code?: string }).code },
      'unhandled Slack listener error',
    );
  });
}

/** The Bolt app with wgbot's middleware, listeners and error log. */
function createBoltApp(options: SlackAppOptions, receiver: Receiver, bolt: BoltLogger): App {
  // Deferred so start() can await auth.test and fail loudly on a bad token, instead of a floating promise.
  const app = new App({
    token: options.botToken,
    receiver,
    logger: bolt,
    clientOptions: { slackApiUrl: options.apiUrl, ...boundedClientOptions(options.retries) },
    deferInitialization: true,
    // wgbot keeps no per-conversation state in Bolt; its default in-memory store costs every request a
    // lookup (and a rejected promise when the channel has none).
    convoStore: false,
  });
  ignoreSlackRetries(app, options.logger);
  tellStoreFailures(app);
  registerListeners(app, options.listeners);
  logListenerErrors(app, options.logger);
  return app;
}

/** auth.test at start, with an error an operator can act on. */
async function initApp(app: App, apiUrl: string): Promise<void> {
  try {
    await app.init();
  } catch (error) {
    const code = refusedToken(error);
    if (code)
      throw new ConfigError(`Slack refused SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token again`);
    throw new Error(
      `Slack did not answer auth.test at ${apiUrl ?? 'https://slack.com/api/'}: ${(error as Error).message}`,
    );
  }
}

/** Socket Mode: apps.connections.open, then the WebSocket until Slack says hello. */
async function connectSocket(app: App, apiUrl: string): Promise<void> {
  await initApp(app, apiUrl);
  await app.start().catch((error: Error) => {
    const code = refusedToken(error);
    if (code)
      throw new ConfigError(`Slack refused SLACK_APP_TOKEN (${code}): it needs the connections:write scope`);
    throw new Error(`Socket Mode could not connect through ${apiUrl}: ${error.message}`);
  });
}

/** Bolt's stop, given up after SLACK_STOP_MS so the rest of the shutdown still fits. */
function stopBolt(app: App): Promise<unknown> {
  return Promise.race([
    app.stop().catch(() => undefined),
    new Promise<void>((resolve) => setTimeout(resolve, SLACK_STOP_MS).unref()),
  ]);
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}

/** What start needs to reach Slack within its budget. */
interface Starter {
  app: App;
  options: SlackAppOptions;
  bolt: BoltLogger;
  budgetMs: number;
  gaveUp: (what: string) => () => string;
}

/** HTTP mode: auth.test, then the one port serving Slack's events and wgbot's routes. */
async function startHttp(
  s: Starter,
  receiver: WgbotReceiver,
  at: { port: number; host: string; signal?: AbortSignal | undefined },
): Promise<AddressInfo> {
  await withinBudget(initApp(s.app, s.options.apiUrl), s.budgetMs, s.gaveUp('auth.test'), at.signal);
  await receiver.start(at.port, at.host);
  return receiver.address()!;
}

/**
 * Socket Mode: Slack needs no URL, but GitLab's webhook and the health check still do, so wgbot's routes
 * get a port of their own (`state.sidecar`, set while connecting so a stop meanwhile closes it).
 */
async function startSocketMode(
  s: Starter,
  receiver: SocketModeReceiver,
  at: { port: number; host: string; signal?: AbortSignal | undefined },
  state: { sidecar?: Server | undefined },
): Promise<AddressInfo> {
  const http = httpReceiver(s.options, s.bolt, 'unused-in-socket-mode');
  state.sidecar = await http.start(at.port, at.host);
  try {
    await withinBudget(
      connectSocket(s.app, s.options.apiUrl),
      s.budgetMs,
      s.gaveUp('auth.test, apps.connections.open, WebSocket'),
      at.signal,
    );
    keepReconnecting(receiver.client, s.options.logger);
  } catch (error) {
    // Nothing may keep the process alive once start failed or was given up: no reconnect loop either.
    const open = state.sidecar;
    state.sidecar = undefined;
    await stopBolt(s.app);
    await closeServer(open);
    throw error;
  }
  return state.sidecar.address() as AddressInfo;
}

/**
 * The one factory for the Bolt app: HTTP mode serves `/slack/events`, `/gitlab/webhook` and `/healthz` on
 * one port; Socket Mode talks to Slack over a WebSocket and serves the other routes on the port.
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const bolt = boltLogger(options.logger);
  const { receiver, socket } = createReceiver(options, bolt);
  const app = createBoltApp(options, receiver, bolt);
  const budgetMs = options.startTimeoutMs ?? START_BUDGET_MS;
  const gaveUp = (what: string) => () =>
    `Slack did not answer at ${options.apiUrl} within ${Math.round(budgetMs / 1000)} s (${what}); check SLACK_API_URL and the network`;
  const starter: Starter = { app, options, bolt, budgetMs, gaveUp };
  const state: { sidecar?: Server | undefined } = {};
  return {
    app,
    async start(port, host, signal) {
      if (receiver instanceof WgbotReceiver) return startHttp(starter, receiver, { port, host, signal });
      return startSocketMode(starter, receiver, { port, host, signal }, state);
    },
    async stop() {
      await stopBolt(app);
      if (state.sidecar) await closeServer(state.sidecar);
    },
    connected: () => (socket ? socket.connected() : null),
  };
}
