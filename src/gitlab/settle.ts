import { type GlEpic, type GlEpicRecord, type GlIssue, parseShape, reportGuesses } from './schemas.js';
import { reportRecord } from './tolerance.js';

// Records GitLab sent without a field wgbot needs, completed from what the request knows (the group it
// listed, GitLab's address), and single records read strictly with their guesses reported.

/**
 * Gives an epic its web_url when GitLab left it out (child epics in the epic-links documentation): from
 * its `references.full` ('g/sub&6'), else from the group it was listed under. The latter is a guess when
 * the epic's group id is not that group's (a child epic in another group), and is said to be.
 */
export function settleEpicUrl(
  epic: GlEpicRecord,
  at: { web: string; groupPath: string; groupId: number | undefined; what: string },
): GlEpic {
  if (epic.web_url) return { ...epic, web_url: epic.web_url };
  const full = epic.references?.full;
  const path = full?.includes('&') ? full.slice(0, full.lastIndexOf('&')) : at.groupPath;
  const otherGroup =
    !full?.includes('&') &&
    at.groupId !== undefined &&
    epic.group_id !== undefined &&
    epic.group_id !== at.groupId;
  if (otherGroup)
    reportRecord({
      what: at.what,
      id: epic.id,
      iid: epic.iid,
      field: 'web_url',
      problem: `absent: built from ${at.groupPath}, though the epic is in group id ${epic.group_id}`,
      skipped: false,
    });
  return { ...epic, web_url: `${at.web}/groups/${path}/-/epics/${epic.iid}` };
}

/** An issue whose web_url was built from its reference is host-relative: on this GitLab's host. */
export function settleIssueUrl(web: string): (issue: GlIssue) => GlIssue {
  return (issue) => (issue.web_url.startsWith('/') ? { ...issue, web_url: `${web}${issue.web_url}` } : issue);
}

/** One record GitLab answered for a request of a single object: strict, with its guesses reported. */
export function readOne<T>(schema: Parameters<typeof parseShape<T>>[0], body: unknown, what: string): T {
  const record = parseShape(schema, body, what);
  reportGuesses(record, what);
  return record;
}
