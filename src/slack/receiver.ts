import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type App,
  HTTPModuleFunctions,
  HTTPResponseAck,
  type Receiver,
  verifySlackRequest,
} from '@slack/bolt';
import type { Logger as BoltLogger } from '@slack/logger';
import { BodyError, bodyRefusal, readBody } from '../http/body.js';
import { discardBody, IngressGuard, type IngressLimits, markTrusted } from '../http/ingress.js';
import type { Logger } from '../logger.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ReceiverOptions {
  signingSecret: string;
  /** Injected clock: the signature's timestamp window is checked against it. */
  now: () => Date;
  logger: Logger;
  boltLogger: BoltLogger;
  /** Other routes served on the same port: `POST /gitlab/webhook`, `GET /healthz`. */
  routes: Record<string, Partial<Record<'GET' | 'POST', RouteHandler>>>;
  bodyLimit?: number;
  /** Connection caps, the per-address bucket of untrusted requests, timeouts (DEFAULT_INGRESS_LIMITS). */
  ingress?: Partial<IngressLimits>;
  /** Routes no bucket meters (load balancers poll them): `/healthz`. */
  unmetered?: string[];
}

const MAX_SKEW_SECONDS = 5 * 60;
export const SLACK_BODY_LIMIT = 1_000_000;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

/** An answer without a body; whatever the sender still sends is thrown away, for a second at most. */
function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  if (!res.headersSent) {
    res.writeHead(status, { 'content-length': '0', ...headers });
    res.end();
  }
  discardBody(req);
}

/**
 * Bolt's HTTP receiver, narrowed and hardened: Slack requests on `POST /slack/events` are verified
 * (v0 HMAC signature; timestamp within five minutes either way — Bolt alone accepts future-dated ones),
 * and nothing is buffered before the headers allow it: signature headers present, timestamp in its
 * window, a `Content-Length` within the cap (or a chunked body cut at it), an address that has not sent
 * too many unproven requests. Bodies have a time limit, connections a cap; refusals are logged without
 * their contents, and the other routes share the port.
 */
export class WgbotReceiver implements Receiver {
  #app: App | undefined;
  #server: Server | undefined;
  readonly guard: IngressGuard;

  constructor(private readonly options: ReceiverOptions) {
    this.guard = new IngressGuard(options.ingress);
  }

  init(app: App): void {
    this.#app = app;
  }

  readonly requestListener = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const unmetered = (this.options.unmetered ?? ['/healthz']).includes(path);
    if (!unmetered && !this.guard.admit(req)) {
      this.options.logger.warn(
        { remote: req.socket.remoteAddress, path },
        'request refused: too many unverified requests from this address',
      );
      return refuse(req, res, 429, { 'retry-after': '60' });
    }
    if (path === '/slack/events' && method === 'POST') {
      void this.#handleSlack(req, res);
      return;
    }
    const route = this.options.routes[path];
    const handler = route?.[method as 'GET' | 'POST'];
    if (handler) {
      Promise.resolve(handler(req, res)).catch((error: Error) => {
        this.options.logger.error({ path, err: error.message }, 'route failed');
        if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 500);
      });
      return;
    }
    res.writeHead(route || path === '/slack/events' ? 405 : 404, { 'content-type': 'text/plain' });
    res.end(route || path === '/slack/events' ? 'method not allowed' : 'not found');
    discardBody(req);
  };

  async #refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: string): Promise<void> {
    this.options.logger.warn(
      { status, reason, remote: req.socket.remoteAddress, path: req.url },
      'slack request refused',
    );
    refuse(req, res, status);
  }

  /** What the headers alone show wrong with a Slack request: nothing is read of a body they refuse. */
  #headerRefusal(req: IncomingMessage): { status: number; reason: string } | null {
    const timestampHeader = req.headers['x-slack-request-timestamp'];
    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(timestampHeader);
    if (
      typeof timestampHeader !== 'string' ||
      !/^\d{1,12}$/.test(timestampHeader) ||
      typeof signature !== 'string'
    ) {
      return { status: 401, reason: 'missing signature or timestamp' };
    }
    if (!SIGNATURE.test(signature)) return { status: 401, reason: 'signature does not match' };
    const nowSeconds = Math.floor(this.options.now().getTime() / 1000);
    if (Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS) {
      const when = timestamp - nowSeconds > 0 ? 'in the future' : 'too old';
      return { status: 401, reason: `timestamp ${when} (replay?)` };
    }
    const body = bodyRefusal(req, this.options.bodyLimit ?? SLACK_BODY_LIMIT);
    return body ? { status: body.status, reason: body.message } : null;
  }

  async #handleSlack(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = this.#headerRefusal(req);
    if (refusal) return this.#refuse(req, res, refusal.status, refusal.reason);
    let raw: Buffer;
    try {
      raw = await readBody(req, this.options.bodyLimit ?? SLACK_BODY_LIMIT);
    } catch (error) {
      return this.#refuse(
        req,
        res,
        error instanceof BodyError ? error.status : 400,
        (error as Error).message,
      );
    }
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const signature = req.headers['x-slack-signature'] as string;
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw.toString('utf8'),
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: this.options.now().getTime(),
      });
    } catch {
      return this.#refuse(req, res, 401, 'signature does not match');
    }
    markTrusted(req);

    const buffered = Object.assign(req, { rawBody: raw });
    let body: Record<string, unknown>;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      return this.#refuse(req, res, 400, 'malformed body');
    }
    if (body.ssl_check === '1') return HTTPModuleFunctions.buildSSLCheckResponse(res);
    if (body.type === 'url_verification') return HTTPModuleFunctions.buildUrlVerificationResponse(res, body);

    const ack = new HTTPResponseAck({
      logger: this.options.boltLogger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    try {
      await this.#app?.processEvent({
        body,
        ack: ack.bind(),
        retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
        retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      });
    } catch (error) {
      this.options.logger.error({ err: (error as Error).message }, 'slack event handling failed');
      if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 500);
    }
  }

  async start(port: number, host: string): Promise<Server> {
    // Slack and GitLab talk plain HTTP/1.1 with short bodies: tight timeouts free sockets of slow clients.
    const server = createServer(this.guard.serverOptions(), this.requestListener);
    this.guard.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.#server = server;
    return server;
  }

  address(): AddressInfo | null {
    return (this.#server?.address() as AddressInfo | null) ?? null;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}
