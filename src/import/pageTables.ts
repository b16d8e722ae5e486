// What each table of a page is (roles, attributes, criteria), and attributes written as 'Label: value' lines.
import type { Nodes, RootContent } from 'mdast';
import { type AttributeEntry, isAttributesGrid } from './attributes.js';
import { firstParagraph } from './criteriaList.js';
import { criteriaColumns } from './criteriaTable.js';
import { type Grid, markdownGrid } from './grid.js';
import { htmlGridsOf } from './htmlTable.js';
import { firstLinkUrl, lineOf, plainText } from './markdown.js';
import { isRolesGrid, mayBeRolesGrid } from './rolesTable.js';
import type { SectionKind } from './sections.js';

export type TableUse = 'roles' | 'attributes' | 'criteria' | 'none';

/** The grids one node holds: a markdown table, or the tables of an HTML block. */
export function gridsOf(node: RootContent): Grid[] {
  if (node.type === 'table') return [markdownGrid(node)];
  return htmlGridsOf(node);
}

/** What one table on the page is, by its columns first and by the section it is in second. */
export function tableUse(grid: Grid, kind: SectionKind, inherited = false): TableUse {
  const header = grid.rows[0];
  if (!header) return 'none';
  if (isRolesGrid(grid)) return 'roles';
  // A criterion and a progress column make a criteria table, whatever its rows say ('Onboarding board').
  if (criteriaColumns(header, false)) return 'criteria';
  if (isAttributesGrid(grid)) return 'attributes';
  // Under a roles sub-heading of its own words, only a table with a role and a person column is roles.
  if (kind === 'roles') return mayBeRolesGrid(grid) && !inherited ? 'roles' : 'none';
  if (kind === 'attributes') return 'attributes';
  const inCriteria = kind === 'exit' || kind === 'entry';
  if (criteriaColumns(header, inCriteria)) return 'criteria';
  return 'none';
}

/** 'Label: value' lines in list items and paragraphs, for pages that list their attributes instead. */
export function attributeLines(nodes: RootContent[]): AttributeEntry[] {
  const entries: AttributeEntry[] = [];
  const read = (text: string, line: number | null, url: string | null) => {
    const match = /^\s*([^:]{2,40}?)\s*:\s*(.+)$/.exec(text);
    if (!match) return;
    const value = match[2]!.trim();
    const cell = { text: value, unstruck: value, struck: false, lines: [{ text: value, links: [] }], url };
    entries.push({ label: match[1]!, value: cell, line });
  };
  for (const node of nodes) {
    if (node.type === 'list') {
      for (const item of node.children) {
        const head = firstParagraph(item);
        if (head) read(plainText(head), lineOf(item), firstLinkUrl(head));
      }
    } else if (node.type === 'paragraph') {
      const line = lineOf(node) ?? 0;
      mdLines(node).forEach((text, i) => read(text, line + i, firstLinkUrl(node)));
    }
  }
  return entries;
}

function mdLines(node: Nodes): string[] {
  return plainTextKeepingLines(node).split('\n');
}

function plainTextKeepingLines(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  if (node.type === 'break') return '\n';
  if ('children' in node) return (node.children as Nodes[]).map(plainTextKeepingLines).join('');
  return '';
}

/** A table with a role column and a person column (a page's roles, or an epic's DRIs). */
export function looksLikeRolesTable(node: RootContent): boolean {
  return gridsOf(node).some(isRolesGrid);
}

/** A table of labelled dates, channel and links: only pages have one. */
export function looksLikeAttributesTable(node: RootContent): boolean {
  return gridsOf(node).some(isAttributesGrid);
}

/** A table with a criterion and a progress column. */
export function looksLikeCriteriaTable(node: RootContent): boolean {
  return gridsOf(node).some(
    (grid) =>
      grid.rows[0] !== undefined && criteriaColumns(grid.rows[0], false) !== null && !isRolesGrid(grid),
  );
}
