// What GitLab lets a person do, as wgbot reasons about it: access levels, the namespace a source or an item
// lives in, and the operator's list of namespaces that may be linked at all. Pure: the GitLab calls that
// tell an account's level are behind the services' port.
import type { SourceRef } from './sources.js';

/** GitLab's access levels (members API `access_level`). */
export const ACCESS = { none: 0, guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;

/** What wgbot asks for: Reporter to link a source, Developer to write to an item, Guest to read titles. */
export type Needed = 'Guest' | 'Reporter' | 'Developer';

export const LEVEL_OF: Record<Needed, number> = {
  Guest: ACCESS.guest,
  Reporter: ACCESS.reporter,
  Developer: ACCESS.developer,
};

/** A GitLab group or project, by its full path. */
export interface Namespace {
  kind: 'group' | 'project';
  path: string;
}

export function sourceNamespace(ref: SourceRef): Namespace {
  return { kind: ref.namespaceKind, path: ref.path };
}

/**
 * Where an item lives in GitLab: an issue in its project; an epic, or a task line of an epic's description,
 * in the epic's group. Null for an item that lives only in wgbot (read from a page).
 */
export function itemNamespace(item: {
  source: 'epic_task' | 'gitlab_issue' | 'gitlab_epic' | 'manual';
  gitlabPath: string | null;
}): Namespace | null {
  if (!item.gitlabPath) return null;
  if (item.source === 'gitlab_issue') return { kind: 'project', path: item.gitlabPath };
  if (item.source === 'gitlab_epic' || item.source === 'epic_task')
    return { kind: 'group', path: item.gitlabPath };
  return null;
}

/**
 * GITLAB_ALLOWED_NAMESPACES, read: comma-separated group or project paths, each allowing itself and what is
 * under it. Empty: no limit.
 */
export function parseNamespaceList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((p) =>
      p
        .trim()
        .replace(/^\/+|\/+$/g, '')
        .toLowerCase(),
    )
    .filter((p) => p.length > 0);
}

/** Whether `path` is one of `allowed` or under one ('acme' allows 'acme/app', not 'acme-evil'). */
export function namespaceAllowed(path: string, allowed: readonly string[]): boolean {
  if (allowed.length === 0) return true;
  const wanted = path.toLowerCase();
  return allowed.some((prefix) => wanted === prefix || wanted.startsWith(`${prefix}/`));
}

/** What a button does to an item in GitLab: close it (or tick its task line), or give it a due date. */
export type ItemWrite = 'close' | 'due-date';

/**
 * Where a button writes in GitLab, if anywhere: closing reaches an issue's project or an epic's group (its
 * task line); a due date reaches GitLab only for an issue (a task line's date is the epic's text, edited in
 * GitLab by a person). Null: the change stays in wgbot.
 */
export function writeTarget(
  item: { source: 'epic_task' | 'gitlab_issue' | 'gitlab_epic' | 'manual'; gitlabPath: string | null },
  write: ItemWrite,
): Namespace | null {
  if (write === 'due-date' && item.source !== 'gitlab_issue') return null;
  return itemNamespace(item);
}
