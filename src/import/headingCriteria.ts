import type { Heading, Paragraph, RootContent } from 'mdast';
import { readCriteriaList, readCriterionText } from './criteriaList.js';
import { criteriaColumns, readCriteriaGrid } from './criteriaTable.js';
import type { Grid } from './grid.js';
import { firstLinkUrl, lineOf, plainText } from './markdown.js';
import type { ParsedCriterion, ReadContext } from './model.js';
import { readProgressCell } from './percent.js';

/** The tables a region holds, already read into grids (markdown and HTML alike), by the node they came from. */
export type GridsOf = (node: RootContent) => Grid[];

// 'Status: 50%', 'Progress - Done', '**Completion:** 80%' on a line of its own under a heading.
const STATUS_LINE =
  /^\s*(?:current\s+)?(?:status|progress|completion|complete|percent complete|% complete|state)\s*[:\-–—=]+\s*(.+)$/i;
// A paragraph standing in for a heading: one short line, all of it bold, with a marker.
const MAX_PSEUDO_HEADING = 300;

/** The figure of a 'Status: 50%' line, or null when the paragraph is not one. */
function statusLine(node: Paragraph): number | null {
  const status = STATUS_LINE.exec(plainText(node));
  return status ? readProgressCell(status[1]!, true).percent : null;
}

interface Open {
  depth: number;
  criterion: ParsedCriterion;
}

function criterionFrom(
  node: Heading | Paragraph,
  percent: number | null,
  ctx: ReadContext,
): ParsedCriterion | null {
  const read = readCriterionText(plainText(node));
  if (read.problem) ctx.warnings.push({ line: lineOf(node), message: read.problem });
  if (!read.title) return null;
  return {
    title: read.title,
    url: firstLinkUrl(node),
    percent: read.percent ?? percent,
    owner: read.owner,
    note: read.note,
    line: lineOf(node),
    children: [],
  };
}

/** Whether a heading (or a bold line) carries a figure of its own: `=> 100%`, '(50%)', a done mark. */
function carriesFigure(node: Heading | Paragraph): boolean {
  const read = readCriterionText(plainText(node));
  return read.percent !== null || read.problem !== null;
}

function isPseudoHeading(node: RootContent): boolean {
  if (node.type !== 'paragraph') return false;
  const text = plainText(node);
  return text.length <= MAX_PSEUDO_HEADING && !text.includes('\n') && carriesFigure(node);
}

/**
 * Reads the criteria of one exit (or entry) criteria section: its lists and tables, and its sub-headings.
 * A sub-heading with a figure (`### Stage 1: Establish the programme => 100%`, any level) is a criterion
 * whose children are the items under it, sub-headings with figures included; a sub-heading without one
 * ('### Phase 1') only groups what follows. A 'Status: 50%' line under a plain sub-heading gives it its
 * figure. When nothing else in the section is a criterion, its sub-headings are, without figures.
 */
export function readCriteriaRegion(
  nodes: RootContent[],
  gridsOf: GridsOf,
  inSection: boolean,
  ctx: ReadContext,
): ParsedCriterion[] {
  const top: ParsedCriterion[] = [];
  const open: Open[] = [];
  let plainHeading: { node: Heading; depth: number } | null = null;
  const target = () => open.at(-1)?.criterion.children ?? top;
  const openCriterion = (criterion: ParsedCriterion, depth: number) => {
    target().push(criterion);
    open.push({ depth, criterion });
  };
  for (const node of nodes) {
    if (node.type === 'heading') {
      while (open.length > 0 && open.at(-1)!.depth >= node.depth) open.pop();
      plainHeading = null;
      if (carriesFigure(node)) {
        const criterion = criterionFrom(node, null, ctx);
        if (criterion) openCriterion(criterion, node.depth);
      } else {
        plainHeading = { node, depth: node.depth };
      }
    } else if (node.type === 'paragraph' && plainHeading && statusLine(node) !== null) {
      const criterion = criterionFrom(plainHeading.node, statusLine(node), ctx);
      if (criterion) openCriterion(criterion, plainHeading.depth);
      plainHeading = null;
    } else if (node.type === 'paragraph' && isPseudoHeading(node)) {
      while (open.length > 0 && open.at(-1)!.depth >= 7) open.pop();
      const criterion = criterionFrom(node, null, ctx);
      if (criterion) openCriterion(criterion, 7);
    } else if (node.type === 'list') {
      target().push(...readCriteriaList(node, ctx));
    } else {
      for (const grid of gridsOf(node)) {
        const columns = grid.rows[0] ? criteriaColumns(grid.rows[0], inSection) : null;
        if (columns) target().push(...readCriteriaGrid(grid, columns, ctx));
      }
    }
  }
  if (top.length === 0 && inSection) return headingsAsCriteria(nodes);
  return top;
}

/** The shallowest sub-headings of a section that has no other criteria: each one names a criterion. */
function headingsAsCriteria(nodes: RootContent[]): ParsedCriterion[] {
  const headings = nodes.filter((n): n is Heading => n.type === 'heading');
  const depth = Math.min(...headings.map((h) => h.depth));
  return headings
    .filter((h) => h.depth === depth)
    .map((h) => ({
      title: plainText(h),
      url: firstLinkUrl(h),
      percent: null,
      owner: null,
      note: null,
      line: lineOf(h),
      children: [],
    }))
    .filter((c) => c.title !== '');
}
