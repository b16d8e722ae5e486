import type { IsoDate } from './types.js';

/**
 * Where a group's plan (the epic's task lines, the page's exit criteria) and its tracker (GitLab's stories
 * and figures) disagree. Pure: the service gathers the facts, the views word the findings.
 */

/** A task line of the group's epic, as the last sync read it. */
export interface DriftLine {
  itemId: number;
  title: string;
  done: boolean;
  /** The story the line names ('#2148', 'group/project#12'); null when it names none. */
  storyRef: string | null;
  /** A link on the line, which may be the story's web address. */
  url: string | null;
  owners: string[];
  sprintTitle: string | null;
  /** The first day of the line's sprint, when known; null when unknown (no drift is claimed then). */
  sprintStart: IsoDate | null;
}

/** A GitLab issue linked to the group's epic. */
export interface DriftStory {
  itemId: number;
  /** GitLab's full reference, 'group/project#12'. */
  ref: string;
  projectPath: string | null;
  iid: number | null;
  title: string;
  done: boolean;
  owners: string[];
  url: string | null;
  /** Its title is not said where the group's channel reads (digest, shared replies). */
  confidential: boolean;
}

/** An exit criterion with both its figures, and the stories it is measured by. */
export interface DriftCriterion {
  id: number;
  title: string;
  owner: string | null;
  url: string | null;
  handbookPercent: number | null;
  gitlabPercent: number | null;
  /** Stories (item ids) the criterion's own GitLab link holds. */
  storyIds: number[];
}

export interface DriftFacts {
  today: IsoDate;
  lines: DriftLine[];
  stories: DriftStory[];
  criteria: DriftCriterion[];
}

export type DriftFinding =
  | { kind: 'ticked-open'; line: DriftLine; story: DriftStory; owners: string[] }
  | { kind: 'closed-unticked'; line: DriftLine; story: DriftStory; owners: string[] }
  | { kind: 'story-missing'; line: DriftLine; owners: string[] }
  | { kind: 'unlisted-story'; story: DriftStory; owners: string[] }
  | {
      kind: 'percent-differs';
      criterion: DriftCriterion;
      handbook: number;
      gitlab: number;
      owners: string[];
    };

export type DriftKind = DriftFinding['kind'];

/** How far a page's `=> NN%` may stray from GitLab's figure before it is called out, in points. */
export const PERCENT_TOLERANCE = 10;

const REF = /^(?:(.+?))?#(\d+)$/;

/** 'group/project#12' → its path and iid; '#12' → no path. Null when the text is not a story reference. */
export function parseStoryRef(ref: string): { path: string | null; iid: number } | null {
  const match = REF.exec(ref.trim());
  return match ? { path: match[1] ?? null, iid: Number(match[2]) } : null;
}

/**
 * The story a line names. A short '#12' is taken only when exactly one linked story has that number (an
 * epic's stories may live in several projects); 'project#12' matches the path's last part(s); a link on
 * the line matches the story's web address. Null when none or several fit: unknown is not a mismatch.
 */
export function storyOfLine(line: DriftLine, stories: DriftStory[]): DriftStory | null {
  if (line.url) {
    const byUrl = stories.find((s) => s.url !== null && s.url === line.url);
    if (byUrl) return byUrl;
  }
  const ref = line.storyRef ? parseStoryRef(line.storyRef) : null;
  if (!ref) return null;
  const fits = stories.filter(
    (s) =>
      s.iid === ref.iid &&
      (ref.path === null || s.projectPath === ref.path || (s.projectPath?.endsWith(`/${ref.path}`) ?? false)),
  );
  return fits.length === 1 ? fits[0]! : null;
}

/** Whether a line names a story at all (a reference, or a link to an issue). */
function namesStory(line: DriftLine): boolean {
  return line.storyRef !== null || (line.url !== null && /\/-\/(?:issues|work_items)\/\d+/.test(line.url));
}

function lineFindings(facts: DriftFacts, line: DriftLine, story: DriftStory | null): DriftFinding[] {
  if (story) {
    if (line.done && !story.done)
      return [{ kind: 'ticked-open', line, story, owners: ownersOf(line, story) }];
    if (!line.done && story.done)
      return [{ kind: 'closed-unticked', line, story, owners: ownersOf(line, story) }];
    return [];
  }
  if (line.done || namesStory(line)) return [];
  if (line.sprintStart !== null && line.sprintStart <= facts.today)
    return [{ kind: 'story-missing', line, owners: line.owners }];
  return [];
}

/** The line's owners, else the story's assignees: whoever can put it right. */
function ownersOf(line: DriftLine, story: DriftStory): string[] {
  return line.owners.length > 0 ? line.owners : story.owners;
}

/**
 * Every disagreement between plan and tracker, in a stable order: lines (in epic order), then stories no
 * line or criterion mentions, then criteria whose page figure strays from GitLab's by more than
 * PERCENT_TOLERANCE points.
 */
export function findDrift(facts: DriftFacts): DriftFinding[] {
  const findings: DriftFinding[] = [];
  const mentioned = new Set<number>();
  for (const line of facts.lines) {
    const story = storyOfLine(line, facts.stories);
    if (story) mentioned.add(story.itemId);
    findings.push(...lineFindings(facts, line, story));
  }
  for (const criterion of facts.criteria) {
    for (const id of criterion.storyIds) mentioned.add(id);
    for (const story of facts.stories)
      if (criterion.url && story.url === criterion.url) mentioned.add(story.itemId);
  }
  for (const story of facts.stories)
    if (!mentioned.has(story.itemId)) findings.push({ kind: 'unlisted-story', story, owners: story.owners });
  for (const criterion of facts.criteria) {
    const { handbookPercent: handbook, gitlabPercent: gitlab } = criterion;
    if (handbook === null || gitlab === null) continue;
    if (Math.abs(handbook - gitlab) > PERCENT_TOLERANCE)
      findings.push({
        kind: 'percent-differs',
        criterion,
        handbook,
        gitlab,
        owners: criterion.owner ? [criterion.owner] : [],
      });
  }
  return findings;
}

/** Lengths kept in one finding's sentence: titles are people's text and may be long. */
const TITLE_MAX = 120;

function quoted(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > TITLE_MAX ? `${flat.slice(0, TITLE_MAX - 1)}…` : flat}”`;
}

/** One finding in plain words (the views escape and link them): what disagrees, and who can put it right. */
export function describeDrift(finding: DriftFinding): { text: string; owners: string[] } {
  const { owners } = finding;
  switch (finding.kind) {
    case 'ticked-open':
      return {
        text: `${quoted(finding.line.title)} is ticked in the epic, but its story ${finding.story.ref} is still open`,
        owners,
      };
    case 'closed-unticked':
      return {
        text: `story ${finding.story.ref} is closed, but its line ${quoted(finding.line.title)} is not ticked`,
        owners,
      };
    case 'story-missing':
      return {
        text: `${quoted(finding.line.title)}${finding.line.sprintTitle ? ` (${finding.line.sprintTitle})` : ''} has no story yet: story to be created`,
        owners,
      };
    case 'unlisted-story':
      return {
        text: `story ${finding.story.ref}${finding.story.confidential ? '' : ` ${quoted(finding.story.title)}`} is linked to the epic, but no task line or criterion mentions it`,
        owners,
      };
    case 'percent-differs':
      return {
        text: `criterion ${quoted(finding.criterion.title)}: the page says ${finding.handbook}%, GitLab ${finding.gitlab}%`,
        owners,
      };
  }
}
