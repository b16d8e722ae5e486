import type { Heading, Nodes, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { ImportError } from './errors.js';

/** Pages larger than this are not handbook pages or epic descriptions; refusing them keeps the parser fast. */
export const MAX_DOCUMENT_BYTES = 2_000_000;

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

/**
 * The text as the parser wants it: no byte-order mark, '\n' line ends (CRLF and CR pages read alike, and
 * line numbers stay those of the page). Refuses what is not a page: empty, binary (NUL bytes) or too large.
 */
export function normalizeDocument(text: string): string {
  if (Buffer.byteLength(text, 'utf8') > MAX_DOCUMENT_BYTES) {
    throw new ImportError(`the document is larger than ${MAX_DOCUMENT_BYTES / 1_000_000} MB`);
  }
  if (text.includes('\0'))
    throw new ImportError('the document is binary (it contains NUL bytes), not text', 1);
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (normalized.trim() === '') throw new ImportError('the document is empty', 1);
  return normalized;
}

const TABLE_ROW = /^\s*\|.*\|\s*$/;
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;
const MAX_REPAIRED_LINES = 100_000;

function cellCount(row: string): number {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/).length;
}

/**
 * Mends two table slips markdown would otherwise read as a paragraph of pipes, keeping every line where it
 * was: a delimiter row written above the header row (the two are swapped), and a delimiter row with more
 * or fewer cells than its header (rewritten to the header's count). Fenced code is left alone.
 */
export function repairTables(text: string): string {
  const lines = text.split('\n');
  let fence: string | null = null;
  for (let i = 0; i < Math.min(lines.length, MAX_REPAIRED_LINES); i++) {
    const line = lines[i]!;
    const opening = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (opening && opening[1]!.startsWith(fence)) fence = null;
      continue;
    }
    if (opening) {
      fence = opening[1]!;
      continue;
    }
    if (!DELIMITER_ROW.test(line) || !line.includes('|')) continue;
    const above = lines[i - 1] ?? '';
    const below = lines[i + 1] ?? '';
    if (TABLE_ROW.test(above) && !DELIMITER_ROW.test(above)) {
      if (cellCount(above) !== cellCount(line)) lines[i] = delimiterFor(above);
    } else if (TABLE_ROW.test(below) && !DELIMITER_ROW.test(below)) {
      lines[i] = below;
      lines[i + 1] = delimiterFor(below);
      i++;
    }
  }
  return lines.join('\n');
}

function delimiterFor(header: string): string {
  return `|${' --- |'.repeat(cellCount(header))}`;
}

// '## Exit criteria {#exit-criteria}': a heading id written the way Hugo and kramdown read it.
const HEADING_ID = /\s*\{#([A-Za-z0-9_-]+)(?:\s+[^}]*)?\}\s*$/;

/**
 * Takes '{#some-id}' off the end of every heading and keeps the id as the heading's `data.id`: the id is a
 * signal of what the section is (translated pages keep their English ids), the braces are no part of a title.
 */
export function takeHeadingIds(root: Root): void {
  for (const node of root.children) {
    if (node.type !== 'heading') continue;
    const last = node.children.at(-1);
    if (last?.type !== 'text') continue;
    const match = HEADING_ID.exec(last.value);
    if (!match) continue;
    last.value = last.value.slice(0, match.index);
    if (last.value === '') node.children.pop();
    node.data = { ...node.data, id: match[1]! };
  }
}

/** A heading's id from `{#id}`, or null. */
export function headingId(node: Heading): string | null {
  return node.data?.id ?? null;
}

declare module 'mdast' {
  interface HeadingData {
    /** The id a page gave the heading with '{#id}'. */
    id?: string;
  }
}

/** Parses a document already normalized by normalizeDocument. */
export function parseMarkdown(text: string): Root {
  return processor.parse(text);
}

export function lineOf(node: { position?: { start: { line: number } } | undefined }): number | null {
  return node.position?.start.line ?? null;
}

/** The text a person reads in a node, on one line, with whitespace collapsed. */
export function plainText(node: Nodes | Nodes[]): string {
  const nodes = Array.isArray(node) ? node : [node];
  return nodes
    .map((n) => mdastToString(n, { includeHtml: false }))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text of a node with its line breaks kept. */
export function rawText(node: Nodes): string {
  return mdastToString(node, { includeHtml: false });
}

/** The first link's URL inside a node (depth-first), or null. */
export function firstLinkUrl(node: Nodes): string | null {
  if (node.type === 'link') return node.url;
  if ('children' in node) {
    for (const child of node.children as Nodes[]) {
      const url = firstLinkUrl(child);
      if (url) return url;
    }
  }
  return null;
}

export function isParent(node: Nodes): node is Nodes & Parent {
  return 'children' in node;
}

/** Every node of the tree, depth-first, with its ancestors' types left out: enough for the queries we make. */
export function* walk(node: Nodes): Generator<Nodes> {
  yield node;
  if (isParent(node)) for (const child of node.children as Nodes[]) yield* walk(child);
}

/** Splits a table cell's inline content at `<br>` tags, which pages use to put several people in one cell. */
export function cellLines(cell: { children: PhrasingContent[] }): PhrasingContent[][] {
  const lines: PhrasingContent[][] = [[]];
  for (const child of cell.children) {
    if (child.type === 'html' && /^<br\s*\/?>$/i.test(child.value.trim())) lines.push([]);
    else lines.at(-1)!.push(child);
  }
  return lines.filter((l) => l.length > 0);
}

export type { Root, RootContent };
