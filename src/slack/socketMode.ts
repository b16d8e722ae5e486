import { SocketModeReceiver } from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/logger';
import type { Logger } from '../logger.js';
import { boundedClientOptions } from './webClients.js';

/** A start given up because a stop (SIGTERM, SIGINT) was asked for meanwhile. */
export class StartAborted extends Error {
  override name = 'StartAborted';
}

/**
 * Socket Mode's receiver, with its own Web API client (apps.connections.open) on SLACK_API_URL and the
 * same bounded retries as Bolt's — its default is a hundred retries against slack.com.
 */
export function socketModeReceiver(options: {
  appToken: string;
  apiUrl: string;
  logger: BoltLogger;
  retries?: number | undefined;
  /** How long to wait for a pong, and the step of the reconnect delay (5 s, 10 s, …); tests shorten it. */
  pingTimeoutMs?: number | undefined;
}): SocketModeReceiver {
  return new SocketModeReceiver({
    appToken: options.appToken,
    logger: options.logger,
    ...(options.pingTimeoutMs ? { clientPingTimeout: options.pingTimeoutMs } : {}),
    // Bolt hands installerOptions.clientOptions to the Socket Mode client (no OAuth installer without a client id).
    installerOptions: {
      clientOptions: { slackApiUrl: options.apiUrl, ...boundedClientOptions(options.retries) },
    },
  });
}

type SocketClient = SocketModeReceiver['client'];

/**
 * Follows the WebSocket's state for /healthz, and keeps the client's reconnect loop alive: a reconnect
 * whose apps.connections.open fails rejects a promise nobody awaits (the process would die of an
 * unhandled rejection), so the failure is logged and another attempt scheduled the client's own way.
 */
export function watchSocket(client: SocketClient, logger: Logger): { connected: () => boolean } {
  let connected = false;
  client.on('connected', () => {
    if (!connected) logger.info('Socket Mode connected to Slack');
    connected = true;
  });
  for (const event of ['connecting', 'reconnecting', 'disconnected', 'close']) {
    client.on(event, () => {
      if (connected) logger.warn({ event }, 'Socket Mode connection to Slack lost');
      connected = false;
    });
  }
  return { connected: () => connected };
}

/** Once started: a failed reconnect attempt is logged and retried, never left to crash the process. */
export function keepReconnecting(client: SocketClient, logger: Logger): void {
  const start = client.start.bind(client);
  let stopping = false;
  client.on('disconnecting', () => {
    stopping = true;
  });
  client.start = async () => {
    try {
      return await start();
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'Socket Mode reconnect failed; trying again');
      // The client's 'close' handler schedules the next attempt, with its growing delay.
      if (!stopping) setImmediate(() => client.emit('close'));
      return {} as Awaited<ReturnType<SocketClient['start']>>;
    }
  };
}

/**
 * Runs `work` for at most `budgetMs`, or until `signal` aborts: a start that cannot reach Slack must end
 * while the operator watches, and a stop asked for meanwhile must not wait for it. What `work` left
 * running is for the caller to stop.
 */
export async function withinBudget<T>(
  work: Promise<T>,
  budgetMs: number,
  describe: () => string,
  signal?: AbortSignal,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limits = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(describe())), budgetMs);
    if (!signal) return;
    onAbort = () => reject(new StartAborted('stopped while starting'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, limits]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    // The loser may still settle later; its rejection is nobody's business then.
    work.catch(() => undefined);
  }
}
