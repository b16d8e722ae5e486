import { namespaceAllowed } from '../domain/access.js';
import { criterionProgress, flattenProgress } from '../domain/criteria.js';
import type { ChangeAuthor } from '../domain/criteriaHistory.js';
import type { WorkingGroup } from '../domain/types.js';
import { canonicalSourceUrl, parseSourceUrl, type SourceRef } from '../gitlab/urls.js';
import type { StoredSource } from '../store/repositories/gitlabSources.js';
import type { Store } from '../store/store.js';
import { withCriteriaHistory } from './criteriaHistory.js';
import { noGroupMessage, NotFoundError } from './status.js';
import { retireKeyResultCriteria } from './sync/okrCriteria.js';
import type { SourceOutcome, SyncOutcome } from './syncService.js';

/** A URL that is not one of the forms wgbot links (its message lists them). */
export { SourceUrlError } from '../gitlab/urls.js';

export class LinkError extends Error {
  override name = 'LinkError';
}

export interface LinkResult {
  source: StoredSource;
  created: boolean;
  /** '2' or '1.3' when the link is behind an exit criterion. */
  criterion: { path: string; title: string } | null;
}

export interface CheckedLink extends LinkResult {
  /** The first sync, which had to reach the link for it to be kept. */
  sync: SyncOutcome;
  /** The link's own part of that sync; null when the sync did not get to it (busy, say). */
  fetch: SourceOutcome | null;
  /**
   * False when the first sync could not reach a new link (404, 403, GitLab unreachable): it was removed
   * again. A link that existed before stays whatever its sync says, and so does one that could not be
   * checked because another process was syncing the group.
   */
  kept: boolean;
}

/** Ties a working group, or one of its exit criteria, to a GitLab epic, milestone, issue list or issue. */
export class LinkService {
  constructor(
    private readonly store: Store,
    private readonly gitlabUrl: string,
    private readonly now: () => Date,
    /** GITLAB_ALLOWED_NAMESPACES: what may be linked at all, from Slack or the CLI; empty: anything. */
    private readonly allowedNamespaces: readonly string[] = [],
  ) {}

  /**
   * What `url` points at; throws SourceUrlError (naming the forms wgbot takes) when it is none of them, and
   * LinkError when it is outside GITLAB_ALLOWED_NAMESPACES.
   */
  parseUrl(url: string): SourceRef {
    const ref = parseSourceUrl(url, this.gitlabUrl);
    if (!namespaceAllowed(ref.path, this.allowedNamespaces))
      throw new LinkError(
        `${ref.path} is outside the namespaces this wgbot may link (GITLAB_ALLOWED_NAMESPACES: ${this.allowedNamespaces.join(', ')})`,
      );
    return ref;
  }

  link(slug: string, url: string, criterionPath: string | null = null): LinkResult {
    const group = this.#group(slug);
    const ref = this.parseUrl(url);
    let criterion: LinkResult['criterion'] = null;
    let criterionId: number | null = null;
    if (criterionPath !== null) {
      const flat = flattenProgress(this.store.criteria.of(group.id, 'exit').map(criterionProgress));
      const found = flat.find((c) => c.path === criterionPath.replace(/\.$/, ''));
      if (!found) {
        const top = flat.filter((c) => c.depth === 0).length;
        throw new LinkError(
          top === 0
            ? `'${slug}' has no exit criteria to link to yet; import its handbook page first`
            : `'${slug}' has no exit criterion ${criterionPath}: use 1–${top}, or 1.2 for a sub-item (see 'wgbot status ${slug}')`,
        );
      }
      criterion = { path: found.path, title: found.node.title };
      criterionId = found.node.id;
    } else if (ref.kind === 'issue') {
      throw new LinkError(
        "one issue cannot hold a working group's action items: link it to an exit criterion with --criterion N, or link an epic, milestone or labelled issue list",
      );
    }
    const canonical = canonicalSourceUrl(ref, this.gitlabUrl);
    const { source, created } = this.store.transaction(() =>
      this.store.sources.add(group.id, ref, canonical, criterionId, this.now()),
    );
    return { source, created, criterion };
  }

  /**
   * Links, then syncs the group at once: a link is kept only if that first sync reaches it, so a typo in
   * an epic's number never stays behind to fail every later sync.
   */
  async linkAndSync(
    slug: string,
    url: string,
    criterionPath: string | null,
    syncGroup: (group: WorkingGroup) => Promise<SyncOutcome>,
  ): Promise<CheckedLink> {
    const linked = this.link(slug, url, criterionPath);
    const group = this.#group(slug);
    const find = (o: SyncOutcome) => o.sources.find((s) => s.sourceId === linked.source.id) ?? null;
    let sync = await syncGroup(group);
    // A sync already under way when the link was made did not see it: one more does.
    if (!find(sync) && sync.status !== 'busy' && sync.status !== 'no-gitlab') sync = await syncGroup(group);
    const fetch = find(sync);
    const reached = sync.status === 'synced' && fetch !== null && fetch.error === null;
    const unchecked = sync.status === 'busy' || sync.status === 'no-gitlab';
    if (reached || unchecked || !linked.created) return { ...linked, sync, fetch, kept: true };
    this.store.transaction(() => {
      this.store.sources.remove(linked.source.id);
      this.store.items.markRemoved(this.store.sources.orphanedItems(group.id), this.now());
      // The failure was this link's alone when it was the only one: the group is as unlinked as before.
      if (this.store.sources.listByWg(group.id).length === 0) this.store.syncState.forgetFailure(group.id);
    });
    return { ...linked, sync, fetch, kept: false };
  }

  #group(slug: string): WorkingGroup {
    const group = this.store.groups.getBySlug(slug);
    if (!group)
      throw new NotFoundError(
        noGroupMessage(
          slug,
          this.store.groups.list().map((g) => g.slug),
        ),
      );
    return group;
  }

  /**
   * Removes the group's links to `url`. Criteria made from the key results of an objective so linked go
   * with it; the change is kept in the criteria history as `by`'s.
   */
  unlink(slug: string, url: string, by: ChangeAuthor = 'cli'): number {
    const group = this.#group(slug);
    const canonical = canonicalSourceUrl(parseSourceUrl(url, this.gitlabUrl), this.gitlabUrl);
    const matching = this.store.sources.listByWg(group.id).filter((s) => s.url === canonical);
    if (matching.length === 0) throw new LinkError(`'${slug}' is not linked to ${canonical}`);
    this.store.transaction(() =>
      withCriteriaHistory(this.store, group.id, by, this.now(), () => {
        for (const s of matching) {
          retireKeyResultCriteria(this.store, group.id, s.id);
          this.store.sources.remove(s.id);
        }
        this.store.items.markRemoved(this.store.sources.orphanedItems(group.id), this.now());
      }),
    );
    return matching.length;
  }

  describe(ref: SourceRef): string {
    switch (ref.kind) {
      case 'epic':
        return `epic &${ref.iid} in ${ref.path}`;
      case 'milestone':
        return `milestone %${ref.iid} in ${ref.path}`;
      case 'issue':
        return `issue ${ref.path}#${ref.iid}`;
      case 'work_item':
        return `work item ${ref.path}#${ref.iid}`;
      case 'issues':
        return `issues in ${ref.path} labelled ${ref.labels.join(', ') || '—'}${ref.milestone ? ` in milestone ${ref.milestone}` : ''}`;
    }
  }
}
