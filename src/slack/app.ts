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

/**
 * The one factory for the Bolt app: HTTP mode serves `/slack/events`, `/gitlab/webhook` and `/healthz` on
 * one port; Socket Mode talks to Slack over a WebSocket and serves the other routes on the port.
 */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const bolt = boltLogger(options.logger);
  const clientOptions = { slackApiUrl: options.apiUrl, ...boundedClientOptions(options.retries) };
  let receiver: WgbotReceiver | SocketModeReceiver;
  let socket: { connected: () => boolean } | null = null;
  if (options.appToken) {
    receiver = socketModeReceiver({
      appToken: options.appToken,
      apiUrl: options.apiUrl,
      logger: bolt,
      retries: options.retries,
      pingTimeoutMs: options.socketPingTimeoutMs,
    });
    socket = watchSocket(receiver.client, options.logger);
  } else {
    if (!options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required in HTTP mode');
    receiver = new WgbotReceiver({
      signingSecret: options.signingSecret,
      now: options.now,
      logger: options.logger,
      boltLogger: bolt,
      routes: options.routes,
      ...(options.ingress ? { ingress: options.ingress } : {}),
    });
  }
  // Deferred so start() can await auth.test and fail loudly on a bad token, instead of a floating promise.
  const app = new App({
    token: options.botToken,
    receiver,
    logger: bolt,
    clientOptions,
    deferInitialization: true,
    // wgbot keeps no per-conversation state in Bolt; its default in-memory store costs every request a
    // lookup (and a rejected promise when the channel has none).
    convoStore: false,
  });
  // Slack redelivers an event it thinks went unanswered (X-Slack-Retry-Num). Bolt has already acknowledged
  // it; the first delivery did the work, so a retry does nothing again.
  app.use(async ({ body, context, next }) => {
    if ((context.retryNum ?? 0) > 0 && (body as { type?: string }).type === 'event_callback') {
      options.logger.debug({ retry: context.retryNum, reason: context.retryReason }, 'slack retry ignored');
      return;
    }
    await next();
  });
  tellStoreFailures(app);
  registerListeners(app, options.listeners);
  app.error(async (error) => {
    options.logger.error(
      { err: error.message, code: (error as { code?: string }).code },
      'unhandled Slack listener error',
    );
  });

  /** auth.test at start, with an error an operator can act on. */
  const init = async () => {
    try {
      await app.init();
    } catch (error) {
      const code = refusedToken(error);
      if (code)
        throw new ConfigError(`Slack refused SLACK_BOT_TOKEN (${code}): copy the Bot User OAuth Token again`);
      throw new Error(
        `Slack did not answer auth.test at ${options.apiUrl ?? 'https://slack.com/api/'}: ${(error as Error).message}`,
      );
    }
  };

  const budgetMs = options.startTimeoutMs ?? START_BUDGET_MS;
  const gaveUp = (what: string) => () =>
    `Slack did not answer at ${options.apiUrl} within ${Math.round(budgetMs / 1000)} s (${what}); check SLACK_API_URL and the network`;

  /** Socket Mode: apps.connections.open, then the WebSocket until Slack says hello. */
  const connectSocket = async () => {
    await init();
    await app.start().catch((error: Error) => {
      const code = refusedToken(error);
      if (code)
        throw new ConfigError(
          `Slack refused SLACK_APP_TOKEN (${code}): it needs the connections:write scope`,
        );
      throw new Error(`Socket Mode could not connect through ${options.apiUrl}: ${error.message}`);
    });
  };
  const stopSlack = () =>
    Promise.race([
      app.stop().catch(() => undefined),
      new Promise<void>((resolve) => setTimeout(resolve, SLACK_STOP_MS).unref()),
    ]);

  let sidecar: Server | undefined;
  return {
    app,
    async start(port, host, signal) {
      if (receiver instanceof WgbotReceiver) {
        await withinBudget(init(), budgetMs, gaveUp('auth.test'), signal);
        await receiver.start(port, host);
        return receiver.address()!;
      }
      // Socket Mode: Slack needs no URL, but GitLab's webhook and the health check still do.
      const http = new WgbotReceiver({
        signingSecret: 'unused-in-socket-mode',
        now: options.now,
        logger: options.logger,
        boltLogger: bolt,
        routes: options.routes,
        ...(options.ingress ? { ingress: options.ingress } : {}),
      });
      sidecar = await http.start(port, host);
      try {
        await withinBudget(
          connectSocket(),
          budgetMs,
          gaveUp('auth.test, apps.connections.open, WebSocket'),
          signal,
        );
        keepReconnecting(receiver.client, options.logger);
      } catch (error) {
        // Nothing may keep the process alive once start failed or was given up: no reconnect loop either.
        const open = sidecar;
        sidecar = undefined;
        await stopSlack();
        await new Promise<void>((resolve) => open.close(() => resolve()));
        throw error;
      }
      return sidecar.address() as AddressInfo;
    },
    async stop() {
      await stopSlack();
      if (sidecar) await new Promise<void>((resolve) => sidecar!.close(() => resolve()));
    },
    connected: () => (socket ? socket.connected() : null),
  };
}
