import type { List, ListItem, Paragraph, PhrasingContent } from 'mdast';
import { firstLinkUrl, lineOf, plainText } from './markdown.js';
import type { ParsedCriterion, ReadContext } from './model.js';
import { ownerNames } from './people.js';
import { readCompletionMarker, readDoneMark } from './percent.js';

export function firstParagraph(item: ListItem): Paragraph | null {
  const node = item.children.find((child) => child.type === 'paragraph');
  return node?.type === 'paragraph' ? node : null;
}

// A trailing owner: '(DRI: Ada Lovelace)', '[Owner: @ada]', '— @ada', '- DRI @ada'.
const OWNER_PAREN =
  /\s*[([]\s*(?:dri|owners?|leads?|assignees?|responsible)(?:\s*[:\-–—=]\s*|\s+(?=@))([^)\]]+?)\s*[)\]]\s*$/i;
const OWNER_TAIL =
  /\s+[-–—]\s*(?:(?:dri|owners?|leads?)\s*[:-]?\s*)?(@[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\s*(?:,|&|and)\s*@[A-Za-z0-9_][A-Za-z0-9_.-]*)*)\s*$/i;

// Words after a marker that only name the owner: 'DRI: Ada Lovelace', '@ada', '@ada, @bob'.
const OWNER_NOTE =
  /^(?:(?:dri|owners?|leads?|assignees?|responsible)\s*[:\-–—=]\s*(.+)|(@[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\s*(?:,|&|and)\s*@[A-Za-z0-9_][A-Za-z0-9_.-]*)*))$/i;

/** The owner named by the words after a marker, when that is all they say. */
function ownerOfNote(note: string | null): string | null {
  const match = note ? OWNER_NOTE.exec(note.trim()) : null;
  return match ? ownerNames([{ text: match[1] ?? match[2]!, links: [] }]) : null;
}

/** Takes a trailing owner off a criterion's title. */
export function splitOwner(title: string): { title: string; owner: string | null } {
  for (const pattern of [OWNER_PAREN, OWNER_TAIL]) {
    const match = pattern.exec(title);
    if (!match || match.index === 0) continue;
    const owner = ownerNames([{ text: match[1]!, links: [] }]);
    if (owner) return { title: title.slice(0, match.index).trim(), owner };
  }
  return { title, owner: null };
}

/** Whether every word of a paragraph is struck through (`~~Ship it~~`): a criterion crossed off, done. */
function isStruck(children: PhrasingContent[]): boolean {
  const visible = children.filter((node) => !(node.type === 'text' && node.value.trim() === ''));
  return visible.length > 0 && visible.every((node) => node.type === 'delete');
}

export interface CriterionText {
  title: string;
  percent: number | null;
  note: string | null;
  owner: string | null;
  problem: string | null;
}

/** A criterion's one line: done marks, the `=> NN%` marker, words after it, a trailing owner. */
export function readCriterionText(text: string): CriterionText {
  const mark = readDoneMark(text);
  const marker = readCompletionMarker(mark.rest);
  const fromTitle = splitOwner(marker.title);
  const noteOwner = ownerOfNote(marker.note);
  const fromNote = marker.note && !noteOwner ? splitOwner(` ${marker.note}`) : { title: '', owner: null };
  return {
    title: fromTitle.title,
    percent: marker.percent ?? (marker.problem ? null : mark.percent),
    note: noteOwner ? null : fromNote.owner ? fromNote.title.trim() || null : marker.note,
    owner: fromTitle.owner ?? noteOwner ?? fromNote.owner,
    problem: marker.problem,
  };
}

function readCriterion(item: ListItem, ctx: ReadContext, depth: number): ParsedCriterion | null {
  const line = lineOf(item);
  const head = firstParagraph(item);
  const read = readCriterionText(head ? plainText(head) : '');
  if (read.problem) ctx.warnings.push({ line, message: read.problem });
  let percent = read.percent;
  // A ticked task-list box is a criterion done; an empty one, a criterion not started.
  if (percent === null && !read.problem && typeof item.checked === 'boolean')
    percent = item.checked ? 100 : 0;
  if (percent === null && !read.problem && head && isStruck(head.children)) percent = 100;
  const children =
    depth >= MAX_DEPTH
      ? []
      : item.children
          .filter((child): child is List => child.type === 'list')
          .flatMap((list) => readCriteriaList(list, ctx, depth + 1));
  if (!read.title) {
    if (percent !== null) {
      ctx.warnings.push({ line, message: 'a criterion has a completion marker but no text; skipped' });
      return null;
    }
    if (children.length === 0) {
      ctx.warnings.push({ line, message: 'an empty list item was skipped' });
      return null;
    }
  }
  return {
    title: read.title || '(untitled)',
    url: head ? firstLinkUrl(head) : null,
    percent,
    owner: read.owner,
    note: read.note,
    line,
    children,
  };
}

// Lists nested deeper than this are notes, not criteria; the bound also keeps recursion shallow.
const MAX_DEPTH = 8;

export function readCriteriaList(list: List, ctx: ReadContext, depth = 0): ParsedCriterion[] {
  return list.children.flatMap((item) => readCriterion(item, ctx, depth) ?? []);
}
