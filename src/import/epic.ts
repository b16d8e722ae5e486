import type { Heading, ListItem, Root } from 'mdast';
import type { IsoDate } from '../domain/types.js';
import type { ImportWarning } from './errors.js';
import { parseHumanDate } from './humanDate.js';
import { firstLinkUrl, lineOf, plainText, rawText, walk } from './markdown.js';

export interface ParsedActionItem {
  /** Stable identity of the line within its epic, so re-imports update instead of duplicating. */
  key: string;
  title: string;
  notes: string | null;
  done: boolean;
  sprintNumber: number | null;
  owners: string[];
  storyRef: string | null;
  url: string | null;
  dueDate: IsoDate | null;
  line: number | null;
}

export interface ParsedEpic {
  title: string | null;
  items: ParsedActionItem[];
  warnings: ImportWarning[];
}

const SPRINT_PREFIX = /^\s*[*_]*\s*sprint\s*#?\s*(\d{1,4})\s*[*_]*\s*[:\-–—]\s*/i;
// An owner is a name or a handle: 'Thor', 'Roland Stens', '@thor', 'Thor, Waldemar', 'Thor & Roland'.
const NAME = String.raw`(?:@[A-Za-z0-9_.-]+|\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+\p{Lu}[\p{L}\p{M}'’.-]*){0,3})`;
const OWNERS = new RegExp(String.raw`\(\s*(${NAME}(?:\s*(?:,|&|\band\b|/)\s*${NAME})*)\s*\)`, 'u');
const STORY_REF = /(?:^|[\s(:])((?:[\w.-]+\/)*[\w.-]*#\d+)\b/;
const DUE = /\bdue(?:\s+(?:on|by))?\s*:?\s*(\d{4}-\d{2}-\d{2}|\w+ \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?)/i;

const OWNERS_ALL = new RegExp(OWNERS.source, 'gu');

/**
 * The parenthesis that names the owners. A line may hold others — 'Set up CI (GitLab) for the repo
 * (Waldemar)' — so the owners' one is the first that ends the item: followed by nothing, or by a
 * separator before remarks ('(Thor) - story created: #2148'). Else the last one.
 */
function ownerGroup(text: string): RegExpExecArray | null {
  const matches = [...text.matchAll(OWNERS_ALL)] as RegExpExecArray[];
  const endsItem = (m: RegExpExecArray) =>
    /^\s*(?:$|[-–—:;,|]|#\d|\(|story\b|due\b)/iu.test(text.slice(m.index + m[0].length));
  return matches.find(endsItem) ?? matches.at(-1) ?? null;
}

/**
 * The source key of an epic task line stored as an `epic_task` item: `s<sourceId>:<line key>` once a
 * linked epic holds the line, `doc:<line key>` while only an imported description does. Import and sync
 * both key lines here, and a sync takes an imported line with the same line key over as its own — so
 * importing an epic's description and then linking that epic (or the reverse) keeps one item per line.
 */
export function epicTaskSourceKey(lineKey: string, sourceId: number | null): string {
  return sourceId === null ? `doc:${lineKey}` : `s${sourceId}:${lineKey}`;
}

function normalizeKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Trims the separators people put between an item and its remarks: ' - ', ' --- ', '—', ':'. */
function trimSeparators(text: string): string {
  return text
    .replace(/^[\s\-–—:;,.*_]+/u, '')
    .replace(/[\s\-–—:;,*_]+$/u, '')
    .trim();
}

function readTaskLine(item: ListItem, warnings: ImportWarning[]): Omit<ParsedActionItem, 'key'> | null {
  const line = lineOf(item);
  const paragraphs = item.children.filter((child) => child.type === 'paragraph');
  // Only the first line is the item; what follows (lazy continuation lines, later paragraphs) is remarks.
  const [head = '', ...continuation] = paragraphs[0] ? rawText(paragraphs[0]).split('\n') : [];
  const firstLine = head.replace(/\s+/g, ' ').trim();
  const following = [...continuation, ...paragraphs.slice(1).map((p) => rawText(p))]
    .join(' ')
    .replace(/\s+/g, ' ');
  if (!firstLine) {
    warnings.push({ line, message: 'an empty task-list item was skipped' });
    return null;
  }
  let rest = firstLine;
  let sprintNumber: number | null = null;
  const sprint = SPRINT_PREFIX.exec(rest);
  if (sprint) {
    sprintNumber = Number(sprint[1]);
    rest = rest.slice(sprint[0].length);
  }

  let title = rest;
  let notes = '';
  let owners: string[] = [];
  const ownerMatch = ownerGroup(rest);
  if (ownerMatch) {
    owners = ownerMatch[1]!
      .split(/\s*(?:,|&|\band\b|\/)\s*/)
      .map((o) => o.trim())
      .filter(Boolean);
    title = rest.slice(0, ownerMatch.index);
    notes = rest.slice(ownerMatch.index + ownerMatch[0].length);
  }
  title = trimSeparators(title);
  if (!title) {
    title = trimSeparators(notes);
    notes = '';
  }

  const remarks = [trimSeparators(notes), trimSeparators(following)].filter(Boolean).join(' ');
  // After the sprint prefix, so 'Sprint #23:' is a sprint, not story #23.
  const story = STORY_REF.exec(rest);
  const due = DUE.exec(firstLine);
  let dueDate: IsoDate | null = null;
  if (due) {
    const parsed = parseHumanDate(due[1]!);
    if (parsed.ok) dueDate = parsed.date;
    else warnings.push({ line, message: `cannot read the due date '${due[1]}'; ignored` });
  }
  return {
    title,
    notes: remarks || null,
    done: item.checked === true,
    sprintNumber,
    owners,
    storyRef: story ? story[1]! : null,
    url: paragraphs[0] ? firstLinkUrl(paragraphs[0]) : null,
    dueDate,
    line,
  };
}

/**
 * Reads the action items of an epic description (demo/epic.md is one): every task-list line
 * `- [ ] Sprint 20: Workshop w. Roland (Thor) - story created: #2148` anywhere in it, with its done state,
 * sprint, owners, story reference, due date ('due 2026-12-01') and remarks. Other lists are not items.
 */
export function parseEpicDescription(root: Root): ParsedEpic {
  const warnings: ImportWarning[] = [];
  const heading = root.children.find((n): n is Heading => n.type === 'heading');
  const seen = new Map<string, number>();
  const items: ParsedActionItem[] = [];
  for (const node of walk(root)) {
    if (node.type !== 'listItem' || node.checked === null || node.checked === undefined) continue;
    const parsed = readTaskLine(node, warnings);
    if (!parsed) continue;
    const base = normalizeKey(parsed.title);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    items.push({ key: count === 1 ? base : `${base} #${count}`, ...parsed });
  }
  return { title: heading ? plainText(heading) : null, items, warnings };
}
