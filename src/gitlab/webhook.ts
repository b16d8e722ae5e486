import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BodyError, readBody } from '../http/body.js';
import { discardBody, markTrusted } from '../http/ingress.js';
import { secretMatches } from '../http/secret.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';

/** An id as GitLab may send it (a number, or a numeric string); anything else is taken as not given. */
const looseId = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v),
  z.number().optional().catch(undefined),
);

/** A part of the payload that may be missing or odd: odd is taken as missing, never as a refused delivery. */
const lenient = <T extends z.ZodType>(schema: T) => schema.nullable().optional().catch(undefined);

/**
 * GitLab's issue and work-item hook payloads, the parts that say which object changed. Only `object_kind`
 * is required: an odd id, project or group makes the event concern fewer groups (the periodic sync catches
 * the rest), not a 400 that GitLab counts against the hook.
 */
const Payload = z.object({
  object_kind: z.string(),
  object_attributes: lenient(
    z.object({
      id: looseId,
      iid: looseId,
      type: z.string().nullable().optional().catch(undefined),
      url: z.string().nullable().optional().catch(undefined),
    }),
  ),
  project: lenient(z.object({ path_with_namespace: z.string() })),
  group: lenient(z.object({ full_path: z.string().optional() })),
});
type Payload = z.infer<typeof Payload>;

const HANDLED_KINDS = new Set(['issue', 'work_item']);
export const WEBHOOK_BODY_LIMIT = 1_000_000;
const DELIVERY_MEMORY_MS = 7 * 24 * 60 * 60 * 1000;

export interface WebhookDeps {
  store: Store;
  /** GITLAB_WEBHOOK_SECRET; unset means the endpoint refuses every delivery. */
  secret: string | undefined;
  schedule: (wgId: number, reason: string) => void;
  now: () => Date;
  logger: Logger;
}

/** Work item types that hold other work items as a group's epic does (GitLab's `type` in the payload). */
const CONTAINER_TYPES = new Set(['Epic', 'Objective']);

/**
 * The namespace a group-level work item event comes from: the payload's `group`, else the group path in
 * `object_attributes.url` (…/groups/<path>/-/epics|work_items/<iid>), as GitLab's work item events carry it.
 */
function eventGroupPath(payload: Payload): string | null {
  if (payload.group?.full_path) return payload.group.full_path;
  const url = payload.object_attributes?.url;
  const match = url ? /\/groups\/(.+?)\/-\/(?:epics|work_items)\/\d+/.exec(url) : null;
  return match ? match[1]! : null;
}

/** The groups a changed issue or work item may belong to: those holding it, and those whose sources could. */
export function affectedGroups(store: Store, payload: Payload): number[] {
  const attrs = payload.object_attributes ?? {};
  const projectPath = payload.project?.path_with_namespace ?? null;
  const groupPath = eventGroupPath(payload);
  const groups = new Set<number>();
  if (attrs.id !== undefined) {
    for (const id of store.items.groupsWithExternalId(`issue:${attrs.id}`)) groups.add(id);
    // A child epic or objective read through GraphQL is kept under its work item id.
    if (CONTAINER_TYPES.has(attrs.type ?? ''))
      for (const id of store.items.groupsWithExternalId(`epic:${attrs.id}`)) groups.add(id);
  }
  for (const source of store.sources.listAll()) {
    const { ref } = source;
    const inside = (path: string | null) =>
      path !== null && (path === ref.path || path.startsWith(`${ref.path}/`));
    let hit: boolean;
    if (ref.kind === 'work_item') {
      // The linked work item itself, or one anywhere under its group or in its project (a child, maybe).
      hit = inside(projectPath) || (ref.namespaceKind === 'group' && inside(groupPath));
    } else if (attrs.type === 'Epic') {
      hit = ref.kind === 'epic' && attrs.iid === ref.iid && (groupPath === null || groupPath === ref.path);
    } else if (ref.namespaceKind === 'project') {
      hit = projectPath === ref.path;
    } else {
      // An issue anywhere under the group may have joined its epic, milestone or label list.
      hit = inside(projectPath);
    }
    if (hit) groups.add(source.wgId);
  }
  return [...groups];
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: Record<string, unknown>,
): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  // A refused delivery's body is not read: thrown away, for a second at most.
  discardBody(req);
}

/**
 * `POST /gitlab/webhook`: checks the shared secret in constant time from the headers, before a byte of
 * the body is read (which then must declare a length within the cap, or be chunked and is cut at it), ignores what is not an issue or
 * work-item event, forgets nothing twice (X-Gitlab-Event-UUID), and schedules a debounced sync of the
 * groups concerned instead of syncing inline — GitLab disables hooks that answer slowly or fail.
 */
export function createGitlabWebhookHandler(deps: WebhookDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const log = deps.logger.child({ route: 'gitlab-webhook', remote: req.socket.remoteAddress });
    if (req.method !== 'POST') return send(req, res, 405, { ok: false, error: 'use POST' });
    if (!deps.secret) {
      log.warn('webhook refused: GITLAB_WEBHOOK_SECRET is not set');
      return send(req, res, 401, { ok: false, error: 'webhooks are not enabled on this wgbot' });
    }
    const token = req.headers['x-gitlab-token'];
    if (!secretMatches(typeof token === 'string' ? token : undefined, deps.secret)) {
      log.warn({ hasToken: token !== undefined }, 'webhook refused: wrong or missing X-Gitlab-Token');
      return send(req, res, 401, { ok: false, error: 'invalid X-Gitlab-Token' });
    }
    markTrusted(req);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return send(req, res, 415, { ok: false, error: 'expected application/json' });
    }
    let payload: Payload;
    try {
      const body = await readBody(req, WEBHOOK_BODY_LIMIT);
      const parsed = Payload.safeParse(JSON.parse(body.toString('utf8')));
      if (!parsed.success) return send(req, res, 400, { ok: false, error: 'not a GitLab event payload' });
      payload = parsed.data;
    } catch (error) {
      if (error instanceof BodyError)
        return send(req, res, error.status, { ok: false, error: error.message });
      return send(req, res, 400, { ok: false, error: 'body is not JSON' });
    }
    if (!HANDLED_KINDS.has(payload.object_kind)) {
      return send(req, res, 202, { ok: true, ignored: payload.object_kind });
    }
    const header = req.headers['x-gitlab-event-uuid'] ?? req.headers['idempotency-key'];
    const delivery = typeof header === 'string' && header.length <= 200 ? header : null;
    const now = deps.now();
    const fresh =
      delivery === null ||
      deps.store.transaction(() => deps.store.deliveries.remember(delivery, now, DELIVERY_MEMORY_MS));
    if (!fresh) {
      log.info({ delivery }, 'webhook delivery seen before; ignored');
      return send(req, res, 200, { ok: true, duplicate: true });
    }
    const groups = affectedGroups(deps.store, payload);
    const attrs = payload.object_attributes;
    const epicGroup = eventGroupPath(payload);
    if (attrs?.type === 'Epic' && attrs.iid !== undefined && epicGroup) {
      // A child epic changed: its parents' syncs must fetch their child epics again.
      const holders = deps.store.sources.holdingChildEpic(epicGroup, attrs.iid);
      deps.store.transaction(() => {
        for (const h of holders) deps.store.sources.refetchChildEpics(h.id);
      });
      for (const h of holders) if (!groups.includes(h.wgId)) groups.push(h.wgId);
    }
    for (const wgId of groups) deps.schedule(wgId, `webhook:${payload.object_kind}`);
    log.info({ delivery, kind: payload.object_kind, groups: groups.length }, 'webhook accepted');
    return send(req, res, 202, { ok: true, scheduled: groups.length });
  };
}
