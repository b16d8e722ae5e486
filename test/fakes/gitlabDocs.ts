import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A body from GitLab's documentation as stored under test/fixtures/gitlab-docs/ (see its README). */
export function documentedBody(name: string): unknown {
  const file = new URL(`../fixtures/gitlab-docs/${name}`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as unknown;
}

interface Route {
  method: string;
  path: RegExp;
  body: () => unknown;
}

/**
 * A GitLab that answers exactly the bodies it is given (GitLab's documented examples, as written there),
 * one page each, on 127.0.0.1. Anything not routed is a 404, as on a GitLab without that object. It
 * records each request's path and query.
 */
export class DocumentedGitlab {
  readonly token = 'glpat-documented';
  readonly requests: { method: string; path: string; query: URLSearchParams }[] = [];
  readonly #routes: Route[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<DocumentedGitlab> {
    const ready: { self?: DocumentedGitlab } = {};
    const server = createServer((req, res) => ready.self!.answer(req.method ?? 'GET', req.url ?? '/', res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    ready.self = new DocumentedGitlab(server, `http://127.0.0.1:${port}`);
    return ready.self;
  }

  /** Answers GETs of `/api/v4` + `path` with `body` (a fixture's name, or any value). */
  on(path: RegExp, body: string | unknown, method = 'GET'): this {
    const read = typeof body === 'string' && body.endsWith('.json') ? () => documentedBody(body) : () => body;
    this.#routes.push({ method, path, body: read });
    return this;
  }

  /** Answers GETs of `/api/v4` + `path` with what `body()` gives at the time of each request. */
  onDynamic(path: RegExp, body: () => unknown): this {
    this.#routes.push({ method: 'GET', path, body });
    return this;
  }

  private answer(method: string, rawUrl: string, res: import('node:http').ServerResponse): void {
    const url = new URL(rawUrl, this.url);
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v4/, ''));
    this.requests.push({ method, path, query: url.searchParams });
    const route = this.#routes.find((r) => r.method === method && r.path.test(path));
    const body = route ? route.body() : { message: '404 Not Found' };
    const list = Array.isArray(body);
    res.writeHead(route ? 200 : 404, {
      'content-type': 'application/json',
      date: new Date('2026-11-16T08:00:00Z').toUTCString(),
      // One page, as GitLab's offset pagination says it.
      ...(list
        ? {
            'x-page': '1',
            'x-per-page': '100',
            'x-total': String(body.length),
            'x-total-pages': '1',
            'x-next-page': '',
          }
        : {}),
    });
    res.end(JSON.stringify(body));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
