import type { Nodes, PhrasingContent, Table, TableCell } from 'mdast';
import { cellLines, lineOf, plainText } from './markdown.js';

/**
 * A table as the readers of roles, attributes and criteria see it, whether the page wrote it in markdown
 * or in HTML: rows of cells with their text, their links and their line.
 */
export interface CellLine {
  text: string;
  links: { text: string; url: string }[];
}

export interface GridCell {
  /** What a person reads in the cell, on one line. */
  text: string;
  /** The same without struck-through text ('~~June~~ July 2021' → 'July 2021'). */
  unstruck: string;
  /** Whether all of the cell's text is struck through. */
  struck: boolean;
  /** The cell cut at `<br>`: several people, one per line. */
  lines: CellLine[];
  url: string | null;
}

export interface GridRow {
  cells: GridCell[];
  line: number | null;
}

export interface Grid {
  rows: GridRow[];
  line: number | null;
}

export const EMPTY_CELL: GridCell = { text: '', unstruck: '', struck: false, lines: [], url: null };

function linksIn(nodes: Nodes[]): { text: string; url: string }[] {
  const links: { text: string; url: string }[] = [];
  const visit = (node: Nodes) => {
    if (node.type === 'link') links.push({ text: plainText(node), url: node.url });
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  nodes.forEach(visit);
  return links;
}

function withoutStruck(nodes: PhrasingContent[]): PhrasingContent[] {
  return nodes
    .filter((node) => node.type !== 'delete')
    .map((node) =>
      'children' in node && node.type !== 'link'
        ? ({ ...node, children: withoutStruck(node.children as PhrasingContent[]) } as PhrasingContent)
        : node,
    );
}

export function markdownCell(cell: TableCell): GridCell {
  const text = plainText(cell.children);
  const unstruck = plainText(withoutStruck(cell.children));
  const links = linksIn(cell.children);
  return {
    text,
    unstruck,
    struck: text !== '' && unstruck === '',
    lines: cellLines(cell).map((line) => ({ text: plainText(line), links: linksIn(line) })),
    url: links[0]?.url ?? null,
  };
}

export function markdownGrid(table: Table): Grid {
  return {
    line: lineOf(table),
    rows: table.children.map((row) => ({ line: lineOf(row), cells: row.children.map(markdownCell) })),
  };
}

export function cellAt(row: GridRow, index: number | null): GridCell {
  return index === null ? EMPTY_CELL : (row.cells[index] ?? EMPTY_CELL);
}
