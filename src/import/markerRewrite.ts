import type { Heading, ListItem, Nodes, Table, TableCell } from 'mdast';
import { criteriaColumns } from './criteriaTable.js';
import { parseDocument } from './document.js';
import { markdownGrid } from './grid.js';
import { normalizeDocument, parseMarkdown, repairTables, walk } from './markdown.js';
import type { ParsedCriterion } from './model.js';
import { locateCompletionNumber } from './percent.js';

/**
 * Rewrites a page's completion markers (`=> 40%`, `(40%)`, a table's `40%` cell) and task-list ticks to
 * new figures, changing no other byte: line ends (CRLF or LF), a byte-order mark, emphasis around the
 * number, the spacing of `=>NN %` and every other character stay as they were. Criteria are found by the
 * line the importer recorded for them (a list item's, a heading's or a table row's first line, as mdast
 * places it); the page is parsed the way the importer parses it, and each position is mapped back to the
 * raw text line by line, since normalizing only changed line ends and the table repair only rewrote
 * whole lines (a spot on a rewritten line is left alone).
 */

/** The figure wgbot has for the criterion that starts on `line` of the page. */
export interface MarkerTarget {
  line: number;
  percent: number;
}

export interface MarkerEdit {
  line: number;
  kind: 'percent' | 'tick';
  /** The page's text before and after, e.g. '40' → '75', '[ ]' → '[x]'. */
  from: string;
  to: string;
}

export interface MarkerRewrite {
  text: string;
  edits: MarkerEdit[];
  /** Target lines where the page has no numeric marker (none at all, or a word like 'done'): left alone. */
  withoutMarker: number[];
  /** Target lines of table rows whose figure cell cannot be told (no header the importer reads): left alone. */
  ambiguous: number[];
}

interface Spot {
  line: number;
  kind: MarkerEdit['kind'];
  /** Offsets in the raw text. */
  start: number;
  end: number;
  current: string;
}

/** The figure as wgbot shows it: whole, or with one decimal. */
export function markerNumber(percent: number): string {
  const rounded = Math.round(percent * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/**
 * Maps an offset in the text the importer parses (normalized, then tables repaired) to the same
 * character's offset in the raw text. Both steps keep the lines: normalizing changes only line ends, the
 * table repair rewrites whole lines in place. So an offset maps line by line, and an offset on a line the
 * repair rewrote maps to null (that line is not the page's).
 */
function offsetMapper(raw: string, normalized: string, parsed: string): (offset: number) => number | null {
  const rawStarts = [raw.startsWith('\uFEFF') ? 1 : 0];
  for (const match of raw.matchAll(/\r\n|\r|\n/g)) rawStarts.push(match.index + match[0].length);
  const parsedStarts = [0];
  for (const match of parsed.matchAll(/\n/g)) parsedStarts.push(match.index + 1);
  const normalizedLines = normalized.split('\n');
  const parsedLines = parsed.split('\n');
  return (offset) => {
    let low = 0;
    let high = parsedStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (parsedStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    if (parsedLines[low] !== normalizedLines[low]) return null;
    return rawStarts[low]! + (offset - parsedStarts[low]!);
  };
}

type Located = { start: number; end: number };

function span(node: Nodes): Located | null {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? null : { start, end };
}

/** The number of the marker the importer reads in a region of the parsed text. */
function percentIn(text: string, region: Located): Located | null {
  const found = locateCompletionNumber(text.slice(region.start, region.end));
  if (!found) return null;
  const start = region.start + found.index;
  return { start, end: start + found.number.length };
}

const WHOLE_CELL_PERCENT = /^(\|?[\s*_~]*)(\d{1,3}(?:[.,]\d+)?)\s*%[\s*_]*\|?\s*$/;

function itemSpots(item: ListItem, text: string): Located[] {
  const head = item.children.find((child) => child.type === 'paragraph');
  const region = head ? span(head) : null;
  const found = region ? percentIn(text, region) : null;
  return found ? [found] : [];
}

function tickSpot(item: ListItem, text: string): Located | null {
  const head = item.children.find((child) => child.type === 'paragraph');
  const itemSpan = span(item);
  const headSpan = head ? span(head) : null;
  if (typeof item.checked !== 'boolean' || !itemSpan || !headSpan) return null;
  const box = /\[[ xX]\]/.exec(text.slice(itemSpan.start, headSpan.start));
  return box ? { start: itemSpan.start + box.index, end: itemSpan.start + box.index + 3 } : null;
}

/** A cell that is only a figure ('40%', '**40 %**'), or a cell's arrow marker ('Ship it => 40%'). */
function cellSpot(cell: TableCell | undefined, text: string, arrowOnly: boolean): Located | null {
  const region = cell ? span(cell) : null;
  if (!region) return null;
  const whole = arrowOnly ? null : WHOLE_CELL_PERCENT.exec(text.slice(region.start, region.end));
  if (whole) {
    const start = region.start + whole[1]!.length;
    return { start, end: start + whole[2]!.length };
  }
  const marker = percentIn(text, region);
  return marker && /=>|⇒|→|->/.test(text.slice(region.start, marker.start)) ? marker : null;
}

type RowSpots = { line: number; spots: Located[] } | { line: number; ambiguous: true };

/**
 * The figures of a criteria table's rows, only where the importer reads them: the progress column's cell
 * (by the header, as the importer finds it) and an arrow marker in the criterion cell. Other figures of
 * the row (a 'Target' column, a baseline) are not the criterion's and stay. Without a progress column the
 * importer can tell, a row whose figures are only in other cells is ambiguous: named, never guessed.
 */
function tableSpots(table: Table, text: string): RowSpots[] {
  const header = markdownGrid(table).rows[0];
  const columns = header ? criteriaColumns(header, true) : null;
  return table.children.slice(1).flatMap((row): RowSpots[] => {
    const line = row.position?.start.line;
    if (line === undefined) return [];
    const arrow = columns ? cellSpot(row.children[columns.criterion], text, true) : null;
    const progressAt = columns?.progress ?? null;
    if (progressAt === null) {
      if (arrow) return [{ line, spots: [arrow] }];
      const figures = row.children.some((cell) => cellSpot(cell, text, false) !== null);
      return figures ? [{ line, ambiguous: true }] : [];
    }
    const progress = cellSpot(row.children[progressAt], text, false);
    return [{ line, spots: [progress, arrow].filter((at): at is Located => at !== null) }];
  });
}

interface Markers {
  byLine: Map<number, Spot[]>;
  /** Table rows with figures whose criteria column could not be told: left alone. */
  ambiguous: Set<number>;
}

function scanMarkers(raw: string): Markers {
  const normalized = normalizeDocument(raw);
  const parsed = repairTables(normalized);
  const root = parseMarkdown(parsed);
  const toRaw = offsetMapper(raw, normalized, parsed);
  const markers: Markers = { byLine: new Map(), ambiguous: new Set() };
  const add = (line: number, kind: Spot['kind'], at: Located) => {
    const start = toRaw(at.start);
    const end = toRaw(at.end);
    // A line the table repair rewrote is not the raw line: such a spot is left alone rather than guessed.
    if (start === null || end === null || raw.slice(start, end) !== parsed.slice(at.start, at.end)) return;
    const spots = markers.byLine.get(line) ?? [];
    spots.push({ line, kind, start, end, current: raw.slice(start, end) });
    markers.byLine.set(line, spots);
  };
  for (const node of walk(root)) {
    const line = node.position?.start.line;
    if (line === undefined) continue;
    if (node.type === 'listItem') {
      for (const at of itemSpots(node, parsed)) add(line, 'percent', at);
      const tick = tickSpot(node, parsed);
      if (tick) add(line, 'tick', tick);
    } else if (node.type === 'heading') {
      const region = span(node as Heading);
      const at = region ? percentIn(parsed, region) : null;
      if (at) add(line, 'percent', at);
    } else if (node.type === 'table') {
      for (const row of tableSpots(node, parsed)) {
        if ('ambiguous' in row) markers.ambiguous.add(row.line);
        else for (const at of row.spots) add(row.line, 'percent', at);
      }
    }
  }
  return markers;
}

/** Every marker and tick on the page, by the line their criterion starts on (offsets in the raw text). */
export function findMarkers(raw: string): Map<number, Spot[]> {
  return scanMarkers(raw).byLine;
}

function replacement(spot: Spot, percent: number): string | null {
  if (spot.kind === 'tick') {
    // Ticks are only ever set: a criterion below 100 % keeps whatever box the page has.
    return percent >= 100 && spot.current === '[ ]' ? '[x]' : null;
  }
  const current = Number(spot.current.replace(',', '.'));
  const wanted = markerNumber(percent);
  return current === Number(wanted) ? null : wanted;
}

/** The page with each target's markers set to its figure; every other byte as it was. */
export function rewriteMarkers(raw: string, targets: MarkerTarget[]): MarkerRewrite {
  const { byLine, ambiguous: unclear } = scanMarkers(raw);
  const edits: (MarkerEdit & { start: number; end: number })[] = [];
  const withoutMarker: number[] = [];
  const ambiguous: number[] = [];
  for (const target of targets) {
    if (unclear.has(target.line)) {
      ambiguous.push(target.line);
      continue;
    }
    const here = byLine.get(target.line) ?? [];
    if (!here.some((spot) => spot.kind === 'percent')) withoutMarker.push(target.line);
    for (const spot of here) {
      const to = replacement(spot, target.percent);
      if (to !== null)
        edits.push({
          line: target.line,
          kind: spot.kind,
          from: spot.current,
          to,
          start: spot.start,
          end: spot.end,
        });
    }
  }
  edits.sort((a, b) => a.start - b.start);
  let text = '';
  let at = 0;
  for (const edit of edits) {
    text += raw.slice(at, edit.start) + edit.to;
    at = edit.end;
  }
  text += raw.slice(at);
  return {
    text,
    edits: edits.map(({ line, kind, from, to }) => ({ line, kind, from, to })),
    withoutMarker,
    ambiguous,
  };
}

/**
 * The line each criterion of the page starts on, by its title as the importer reads it: how a criterion
 * stored from an older copy of the page is found again when lines moved. Null when the page cannot be read.
 */
export function criterionLinesByTitle(raw: string): Map<string, number[]> | null {
  let parsed;
  try {
    parsed = parseDocument(raw);
  } catch {
    return null;
  }
  const lines = new Map<string, number[]>();
  if (parsed.kind !== 'working-group') return lines;
  const visit = (nodes: ParsedCriterion[]) =>
    nodes.forEach((node) => {
      if (node.line !== null) lines.set(node.title, [...(lines.get(node.title) ?? []), node.line]);
      visit(node.children);
    });
  visit([...parsed.group.exitCriteria, ...parsed.group.entryCriteria]);
  return lines;
}
