import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import type { Html, Root as MdRoot, RootContent as MdContent } from 'mdast';
import type { CellLine, Grid, GridCell, GridRow } from './grid.js';

const htmlParser = unified().use(rehypeParse, { fragment: true });

// Pages sometimes write markdown links inside HTML cells, which the HTML parser leaves as text.
const MARKDOWN_LINK = /\[([^\]]*)\]\(([^)\s]+)\)/g;
const STRUCK = new Set(['del', 's', 'strike']);
// Bounds on what one HTML block may hold: a page is not a spreadsheet.
const MAX_ROWS = 2_000;
const MAX_CELLS = 50;

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

function isElement(node: HastContent | ElementContent | HastRoot): node is Element {
  return node.type === 'element';
}

function elementsIn(node: HastRoot | Element, test: (e: Element) => boolean, stopAt?: string): Element[] {
  const found: Element[] = [];
  const visit = (n: HastRoot | Element) => {
    for (const child of n.children) {
      if (!isElement(child)) continue;
      if (test(child)) found.push(child);
      if (child.tagName !== stopAt) visit(child);
    }
  };
  visit(node);
  return found;
}

function lineOfText(text: string): CellLine {
  const links: { text: string; url: string }[] = [];
  const plain = text.replace(MARKDOWN_LINK, (_, label: string, url: string) => {
    links.push({ text: collapse(label), url });
    return label;
  });
  return { text: collapse(plain), links };
}

/** One `<td>`/`<th>` cut at its `<br>`s, with its `<a href>`s and its struck-through text. */
function htmlCell(cell: Element): GridCell {
  const lines: { text: string; links: { text: string; url: string }[] }[] = [{ text: '', links: [] }];
  let unstruck = '';
  const visit = (node: ElementContent, struck: boolean) => {
    if (node.type === 'text') {
      lines.at(-1)!.text += node.value;
      if (!struck) unstruck += node.value;
    } else if (isElement(node)) {
      if (node.tagName === 'br' || node.tagName === 'p' || node.tagName === 'li')
        lines.push({ text: '', links: [] });
      if (node.tagName === 'a' && typeof node.properties.href === 'string') {
        lines.at(-1)!.links.push({ text: collapse(hastToString(node)), url: node.properties.href });
      }
      for (const child of node.children) visit(child, struck || STRUCK.has(node.tagName));
    }
  };
  for (const child of cell.children) visit(child, false);
  const read = lines
    .map((line) => {
      const fromText = lineOfText(line.text);
      return { text: fromText.text, links: [...line.links, ...fromText.links] };
    })
    .filter((line) => line.text !== '');
  const text = read.map((line) => line.text).join(' ');
  const clean = lineOfText(unstruck).text;
  return {
    text,
    unstruck: clean,
    struck: text !== '' && clean === '',
    lines: read,
    url: read.flatMap((line) => line.links)[0]?.url ?? null,
  };
}

/**
 * The tables in a piece of HTML a page embeds (`<table>…</table>`), read with a real HTML parser into
 * the same rows and cells as a markdown table. `firstLine` is the line the HTML starts on, so each row
 * keeps its line on the page.
 */
export function htmlGrids(html: string, firstLine: number | null): Grid[] {
  const tree = htmlParser.parse(html) as HastRoot;
  const lineAt = (node: Element): number | null =>
    firstLine === null || !node.position ? firstLine : firstLine + node.position.start.line - 1;
  return elementsIn(tree, (e) => e.tagName === 'table').map((table) => {
    const rows: GridRow[] = elementsIn(table, (e) => e.tagName === 'tr', 'table')
      .slice(0, MAX_ROWS)
      .map((tr) => ({
        line: lineAt(tr),
        cells: tr.children
          .filter((c): c is Element => isElement(c) && (c.tagName === 'td' || c.tagName === 'th'))
          .slice(0, MAX_CELLS)
          .map(htmlCell),
      }))
      .filter((row) => row.cells.length > 0);
    return { rows, line: lineAt(table) };
  });
}

/**
 * Root-level HTML that opens a `<table>` and closes it some blocks later (a blank line inside the table
 * splits it into several nodes): joined back into one HTML node from the page's own text, so the table is
 * read whole. Bounded: a table that never closes within 500 blocks is left as it is.
 */
export function joinHtmlTables(root: MdRoot, source: string): void {
  const children = root.children;
  for (let i = 0; i < children.length; i++) {
    const first = children[i]!;
    if (first.type !== 'html' || !/<table\b/i.test(first.value) || /<\/table>/i.test(first.value)) continue;
    const last = children.slice(i + 1, i + 500).findIndex((n) => /<\/table>/i.test(sourceOf(n, source)));
    if (last < 0 || first.position?.start.offset === undefined) continue;
    const end = children[i + 1 + last]!.position?.end.offset;
    if (end === undefined) continue;
    const joined: Html = {
      type: 'html',
      value: source.slice(first.position.start.offset, end),
      position: { start: first.position.start, end: children[i + 1 + last]!.position!.end },
    };
    children.splice(i, last + 2, joined);
  }
}

function sourceOf(node: MdContent, source: string): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? '' : source.slice(start, end);
}

/** The tables in a node: an HTML node holding `<table>`s (whatever its other HTML). */
export function htmlGridsOf(node: MdContent): Grid[] {
  if (node.type !== 'html' || !/<table\b/i.test(node.value)) return [];
  return htmlGrids(node.value, node.position?.start.line ?? null);
}
