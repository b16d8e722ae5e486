import type { Root } from 'mdast';
import { type ParsedEpic, parseEpicDescription } from './epic.js';
import { ImportError } from './errors.js';
import {
  looksLikeAttributesTable,
  looksLikeCriteriaHeading,
  looksLikeCriteriaTable,
  looksLikeRolesTable,
  looksLikeWorkingGroupHeading,
  type ParsedWorkingGroup,
  parseWorkingGroupPage,
} from './handbook.js';
import { joinHtmlTables } from './htmlTable.js';
import { normalizeLinks } from './links.js';
import {
  headingId,
  normalizeDocument,
  parseMarkdown,
  plainText,
  repairTables,
  takeHeadingIds,
  walk,
} from './markdown.js';
import type { ParseOptions } from './model.js';

export type ParsedDocument =
  { kind: 'working-group'; group: ParsedWorkingGroup } | { kind: 'epic'; epic: ParsedEpic };

export type DocumentKind = ParsedDocument['kind'];

interface Signs {
  frontMatterTitle: boolean;
  pageHeading: boolean;
  criteriaHeading: boolean;
  rolesTable: boolean;
  attributesTable: boolean;
  criteriaTable: boolean;
  tasks: boolean;
}

function signsOf(root: Root): Signs {
  const first = root.children[0];
  const signs: Signs = {
    frontMatterTitle: first?.type === 'yaml' && /^title\s*:/im.test(first.value),
    pageHeading: false,
    criteriaHeading: false,
    rolesTable: false,
    attributesTable: false,
    criteriaTable: false,
    tasks: false,
  };
  for (const node of root.children) {
    if (node.type === 'heading') {
      const text = plainText(node);
      const id = headingId(node)?.replace(/[-_]+/g, ' ') ?? '';
      signs.pageHeading ||= looksLikeWorkingGroupHeading(text) || looksLikeWorkingGroupHeading(id);
      signs.criteriaHeading ||= looksLikeCriteriaHeading(text);
    }
    if (node.type === 'table' || node.type === 'html') {
      signs.rolesTable ||= looksLikeRolesTable(node);
      signs.attributesTable ||= looksLikeAttributesTable(node);
      signs.criteriaTable ||= looksLikeCriteriaTable(node);
    }
  }
  for (const node of walk(root))
    if (node.type === 'listItem' && typeof node.checked === 'boolean') signs.tasks = true;
  return signs;
}

/** A page, an epic description, or neither, from what the document holds. */
function kindOf(s: Signs): DocumentKind | null {
  if (s.frontMatterTitle || s.pageHeading || s.attributesTable) return 'working-group';
  // 'Success Criteria' or a DRI table alone may be an epic's (its DoD, its DRIs); together, or with a
  // criteria table, they make a page.
  const pageParts = [s.criteriaHeading, s.rolesTable, s.criteriaTable].filter(Boolean).length;
  if (pageParts >= 2 || (pageParts === 1 && !s.tasks)) return 'working-group';
  return s.tasks ? 'epic' : null;
}

/**
 * Reads a handbook working-group page or an epic description and says which it was. A page has a front
 * matter title, a heading only pages have (exit criteria, roles, business goal), an attributes table, or a
 * roles or criteria table without task lists; an epic description has task-list items. Throws only
 * ImportError, and only for a document that is not one of the two (empty, binary, too large, neither).
 */
export function parseDocument(
  text: string,
  expect?: DocumentKind,
  options: Partial<ParseOptions> = {},
): ParsedDocument {
  const source = repairTables(normalizeDocument(text));
  const root = parseMarkdown(source);
  takeHeadingIds(root);
  joinHtmlTables(root, source);
  normalizeLinks(root, null);
  const kind = expect ?? kindOf(signsOf(root));
  if (kind === 'working-group') return { kind, group: parseWorkingGroupPage(root, options) };
  if (kind === 'epic') return { kind, epic: parseEpicDescription(root) };
  throw new ImportError(
    "this is neither a working-group page (no front matter title, no 'Exit Criteria', 'Roles and Responsibilities' or 'Business Goal' heading, no attributes or roles table) nor an epic description (no task list like '- [ ] Sprint 20: … (Owner)')",
    1,
  );
}
