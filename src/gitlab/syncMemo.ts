import type { GitlabClient, Scope } from './client.js';
import type { GlIteration } from './schemas.js';

/**
 * What one sync asks GitLab once however many of its links need it: the open iterations of a group or
 * project. Several links of one group (its epic, a milestone, a labelled list, each maybe behind a
 * criterion too) share their iterations; without this each full fetch listed them again.
 *
 * A project's iterations are its ancestor groups' (GitLab's project iterations list includes ancestors by
 * default, as does the group list), so a project whose parent group's list is already here reuses it.
 */
export class SyncMemo {
  readonly #iterations = new Map<string, Promise<GlIteration[] | null>>();

  constructor(private readonly client: GitlabClient) {}

  iterations(scope: Scope): Promise<GlIteration[] | null> {
    const key = 'group' in scope ? `group:${scope.group}` : `project:${scope.project}`;
    const own = this.#iterations.get(key);
    if (own) return own;
    if ('project' in scope) {
      const parent = this.#iterations.get(`group:${scope.project.slice(0, scope.project.lastIndexOf('/'))}`);
      if (parent) return parent.then(async (list) => list ?? this.#fetch(key, scope));
    }
    return this.#fetch(key, scope);
  }

  #fetch(key: string, scope: Scope): Promise<GlIteration[] | null> {
    const promise = this.client.listOpenIterations(scope);
    this.#iterations.set(key, promise);
    // A failed listing is not remembered: the next link asks again (and fails on its own account).
    promise.catch(() => this.#iterations.delete(key));
    return promise;
  }
}
