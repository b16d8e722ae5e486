import type { SourceRef } from '../domain/sources.js';

export type { SourceKind, SourceRef } from '../domain/sources.js';

export const ACCEPTED_FORMS = [
  '<gitlab>/groups/<group>/-/epics/<iid>  (an epic; Premium)',
  '<gitlab>/groups/<group>/-/work_items/<iid> or <gitlab>/<group>/<project>/-/work_items/<iid>  (a work item: epic, objective, key result; GraphQL)',
  '<gitlab>/<group>/<project>/-/milestones/<iid> or <gitlab>/groups/<group>/-/milestones/<iid>  (a milestone)',
  '<gitlab>/<group>/<project>/-/issues?label_name[]=<label> or <gitlab>/groups/<group>/-/issues?label_name[]=<label>  (issues with a label)',
  '<gitlab>/<group>/<project>/-/issues/<iid>  (one issue: for an exit criterion)',
];

export class SourceUrlError extends Error {
  override name = 'SourceUrlError';
}

const PATH_SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

function namespacePath(segments: string[]): string | null {
  if (segments.length === 0 || !segments.every((s) => PATH_SEGMENT.test(s))) return null;
  return segments.join('/');
}

function refuse(url: string, why: string): never {
  throw new SourceUrlError(`cannot use ${url}: ${why}. wgbot accepts: ${ACCEPTED_FORMS.join('; ')}`);
}

/**
 * Reads an epic, milestone, labelled issue list or issue URL. `gitlabUrl` is the configured GitLab: a URL
 * on another host is refused, since the token would not work there.
 */
export function parseSourceUrl(input: string, gitlabUrl: string): SourceRef {
  const text = input.trim().replace(/^<|>$/g, '');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(input, 'it is not a URL');
  }
  const base = new URL(gitlabUrl);
  if (url.host !== base.host)
    refuse(input, `it is on ${url.host}, but wgbot is set up for ${base.host} (GITLAB_URL)`);
  const basePath = base.pathname.replace(/\/+$/, '');
  const rest = decodeURIComponent(url.pathname)
    .slice(basePath.length)
    .replace(/^\/+|\/+$/g, '');
  const dash = rest.split('/-/');
  if (dash.length !== 2)
    return refuse(input, "it is not a page of an epic, milestone or issue list (no '/-/' part)");
  const owner = dash[0]!.split('/');
  const [resource, id, ...more] = dash[1]!.split('/');
  const isGroup = owner[0] === 'groups';
  const path = namespacePath(isGroup ? owner.slice(1) : owner);
  if (!path) return refuse(input, 'its group or project path is not valid');
  const iid = id !== undefined && /^\d+$/.test(id) && more.length === 0 ? Number(id) : null;

  switch (resource) {
    case 'epics':
      if (isGroup && iid !== null) return { kind: 'epic', namespaceKind: 'group', path, iid };
      return refuse(input, 'an epic URL looks like …/groups/<group>/-/epics/<iid>');
    case 'work_items':
      if (iid === null) return refuse(input, 'a work item URL ends in /-/work_items/<iid>');
      return { kind: 'work_item', namespaceKind: isGroup ? 'group' : 'project', path, iid };
    case 'milestones':
      if (iid === null) return refuse(input, 'a milestone URL ends in /-/milestones/<iid>');
      return { kind: 'milestone', namespaceKind: isGroup ? 'group' : 'project', path, iid };
    case 'issues': {
      if (iid !== null) {
        if (isGroup) return refuse(input, 'issues belong to projects, not groups');
        return { kind: 'issue', namespaceKind: 'project', path, iid };
      }
      if (id !== undefined) return refuse(input, 'an issue URL ends in /-/issues/<iid>');
      const labels = [
        ...url.searchParams.getAll('label_name[]'),
        ...url.searchParams.getAll('label_name'),
        ...url.searchParams.getAll('labels').flatMap((l) => l.split(',')),
      ]
        .map((l) => l.trim())
        .filter(Boolean);
      const milestone = url.searchParams.get('milestone_title');
      if (labels.length === 0 && !milestone) {
        return refuse(
          input,
          'an issue list needs a filter such as ?label_name[]=wg::ops, or every issue would count',
        );
      }
      return { kind: 'issues', namespaceKind: isGroup ? 'group' : 'project', path, labels, milestone };
    }
    default:
      return refuse(input, `wgbot cannot sync '${resource}' pages`);
  }
}

/** A canonical URL for a source, so the same source linked twice is recognised. */
export function canonicalSourceUrl(ref: SourceRef, gitlabUrl: string): string {
  const base = gitlabUrl.replace(/\/+$/, '');
  const owner = ref.namespaceKind === 'group' ? `groups/${ref.path}` : ref.path;
  switch (ref.kind) {
    case 'epic':
      return `${base}/${owner}/-/epics/${ref.iid}`;
    case 'milestone':
      return `${base}/${owner}/-/milestones/${ref.iid}`;
    case 'issue':
      return `${base}/${owner}/-/issues/${ref.iid}`;
    case 'work_item':
      return `${base}/${owner}/-/work_items/${ref.iid}`;
    case 'issues': {
      const query = new URLSearchParams();
      for (const label of [...ref.labels].sort()) query.append('label_name[]', label);
      if (ref.milestone) query.set('milestone_title', ref.milestone);
      return `${base}/${owner}/-/issues?${query.toString()}`;
    }
  }
}
