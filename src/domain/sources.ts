// What a group's linked GitLab sources are, as the store keeps them: defined here so the store needs no
// adapter; src/gitlab/ parses the URLs and fetches.

/** What a GitLab URL a person pastes points at, in the forms wgbot can sync. */
export type SourceRef =
  | { kind: 'epic'; namespaceKind: 'group'; path: string; iid: number }
  | { kind: 'milestone'; namespaceKind: 'group' | 'project'; path: string; iid: number }
  | {
      kind: 'issues';
      namespaceKind: 'group' | 'project';
      path: string;
      labels: string[];
      milestone: string | null;
    }
  | { kind: 'issue'; namespaceKind: 'project'; path: string; iid: number }
  /** A work item (`…/-/work_items/<iid>`): an epic, objective, key result or issue, read through GraphQL. */
  | { kind: 'work_item'; namespaceKind: 'group' | 'project'; path: string; iid: number };

export type SourceKind = SourceRef['kind'];

/** Where the next incremental fetch of a source resumes. */
export interface SourceCursor {
  /**
   * Where the next incremental fetch starts (minus the overlap): GitLab's own clock when this fetch
   * began (its Date header), else the newest issue `updated_at` seen. Never our clock: the two drift.
   */
  updatedAt: string | null;
  /** The container's (epic's, milestone's) `updated_at` when last fetched. */
  containerUpdatedAt: string | null;
  lastFullAt: string | null;
  /**
   * Set when a child epic changed (webhook): the next fetch lists child epics even though the epic itself
   * did not change. Kept until a fetch has listed them, even across a sync already under way.
   */
  refetchChildren?: boolean;
  /** Set once this link syncs through GitLab's GraphQL Work Items API (chosen, or switched to after REST 404/410). */
  api?: 'graphql';
  /** The container's work item global id, for incremental GraphQL fetches. */
  workItemId?: string;
}
