import { type ParsedEpic, parseEpicDescription } from './epic.js';
import { ImportError } from './errors.js';
import {
  looksLikeCriteriaHeading,
  looksLikeRolesTable,
  looksLikeWorkingGroupHeading,
  type ParsedWorkingGroup,
  parseWorkingGroupPage,
} from './handbook.js';
import { parseMarkdown, plainText, walk } from './markdown.js';

export type ParsedDocument =
  { kind: 'working-group'; group: ParsedWorkingGroup } | { kind: 'epic'; epic: ParsedEpic };

export type DocumentKind = ParsedDocument['kind'];

/**
 * Reads a handbook working-group page or an epic description and says which it was. A page has a front
 * matter title or a heading only pages have (exit criteria, roles, business goal); an epic description has
 * task-list items. Throws only ImportError.
 */
export function parseDocument(text: string, expect?: DocumentKind): ParsedDocument {
  const root = parseMarkdown(text);
  const hasFrontMatterTitle = root.children[0]?.type === 'yaml' && /^title\s*:/m.test(root.children[0].value);
  let isPage = hasFrontMatterTitle;
  let hasTasks = false;
  let criteriaHeading = false;
  let rolesTable = false;
  for (const node of walk(root)) {
    if (node.type === 'heading' && looksLikeWorkingGroupHeading(plainText(node))) isPage = true;
    if (node.type === 'heading' && looksLikeCriteriaHeading(plainText(node))) criteriaHeading = true;
    if (node.type === 'table' && looksLikeRolesTable(node)) rolesTable = true;
    if (node.type === 'listItem' && typeof node.checked === 'boolean') hasTasks = true;
  }
  // 'Success Criteria' with a roles table is a page; either alone may be an epic's (its DoD, its DRIs).
  if (criteriaHeading && rolesTable) isPage = true;
  const kind: DocumentKind | null = expect ?? (isPage ? 'working-group' : hasTasks ? 'epic' : null);
  if (kind === 'working-group') return { kind, group: parseWorkingGroupPage(root) };
  if (kind === 'epic') return { kind, epic: parseEpicDescription(root) };
  throw new ImportError(
    "this is neither a working-group page (no front matter title and no 'Exit Criteria', 'Roles and Responsibilities' or 'Business Goal' heading) nor an epic description (no task list like '- [ ] Sprint 20: … (Owner)')",
    1,
  );
}
