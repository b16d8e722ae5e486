import type { List, Paragraph } from 'mdast';
import { roleKindOf } from '../domain/roles.js';
import { cellAt, type Grid, type GridRow } from './grid.js';
import { lineOf, plainText } from './markdown.js';
import type { ParsedRole, ReadContext } from './model.js';
import { type Person, readPeople, splitGluedRole } from './people.js';

export interface RoleColumns {
  role: number | null;
  person: number | null;
  title: number | null;
  /** A column of GitLab handles beside the person's name ('Username', 'GitLab handle'). */
  handle: number | null;
}

const ROLE_HEADER = /role|^position$|^functions?$|group functions?|役割|ロール/i;
const NAME_HEADER =
  /person|name|who|people|member|individual|assignee|^dris?$|^owner|contact|担当者|氏名|名前|メンバー/i;
const HANDLE_HEADER = /gitlab|handle|user ?name|ユーザー名|ハンドル/i;
const TITLE_HEADER =
  /title|position|job|function|team|department|responsib|description|duties|役職|肩書|職位|部署/i;

export function roleColumns(header: GridRow): RoleColumns {
  const names = header.cells.map((cell) => cell.text.replace(/[*_`]/g, '').trim());
  const find = (pattern: RegExp, taken: (number | null)[]) => {
    const i = names.findIndex((n, j) => !taken.includes(j) && pattern.test(n));
    return i < 0 ? null : i;
  };
  const role = find(ROLE_HEADER, []);
  // A name column before a handle column: 'Username | Person' reads the person's name, and the handle.
  const handleFirst = find(HANDLE_HEADER, [role]);
  const name = find(NAME_HEADER, [role, handleFirst]);
  const person = name ?? handleFirst;
  const handle = name === null ? null : find(HANDLE_HEADER, [role, person]);
  const title = find(TITLE_HEADER, [role, person, handle]);
  return { role, person, title, handle };
}

// A cell naming people, not saying what they do: 'Ada Lovelace', 'Ada Lovelace, Grace Hopper', '@ada'.
const PERSON_NAME = /^(?:@[\w.-]+|\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){1,3}(?:\s*\(?@[\w.-]+\)?)?)$/u;

function namesPeople(text: string): boolean {
  const parts = text.split(/\s*(?:[,;&/]|\band\b)\s*/).filter((p) => p !== '');
  return parts.length > 0 && parts.every((part) => PERSON_NAME.test(part));
}

/**
 * 'Role | Responsibility' tables whose second column names people after all (every filled cell reads as
 * names): that column is the person column.
 */
function withNamesColumn(columns: RoleColumns, grid: Grid): RoleColumns {
  if (columns.person !== null || columns.title === null || columns.role === null) return columns;
  const cells = grid.rows
    .slice(1)
    .map((row) => cellAt(row, columns.title).text)
    .filter((t) => t !== '');
  if (cells.length === 0 || !cells.every(namesPeople)) return columns;
  return { ...columns, person: columns.title, title: null };
}

/** A table with a role column and a person column (a page's roles, or an epic's DRIs). */
export function isRolesGrid(grid: Grid): boolean {
  const header = grid.rows[0];
  if (!header) return false;
  const columns = roleColumns(header);
  return columns.role !== null && columns.person !== null;
}

/** Whether a roles section's table looks like people at all: a role or a person column. */
export function mayBeRolesGrid(grid: Grid): boolean {
  const header = grid.rows[0];
  if (!header) return false;
  const columns = roleColumns(header);
  return columns.role !== null || columns.person !== null;
}

interface RowPeople {
  role: string;
  title: string | null;
  people: Person[];
}

/** One row's role, title and people, whatever columns the table has. */
function rowPeople(row: GridRow, columns: RoleColumns, previousRole: string | null): RowPeople | null {
  const roleText = cellAt(row, columns.role).text;
  const titleText = cellAt(row, columns.title).text || null;
  if (columns.person === null) {
    // 'Role | Responsibility' tables name people only when a name is glued to the role or carries a handle.
    const glued = splitGluedRole(roleText);
    if (!glued.role) {
      const people = readPeople([{ text: roleText, links: [] }]).filter((p) => p.gitlabUsername);
      return people.length > 0 ? { role: 'Member', title: titleText, people } : null;
    }
    return { role: glued.role, title: titleText, people: readPeople([{ text: glued.rest, links: [] }]) };
  }
  const people = readPeople(cellAt(row, columns.person).lines);
  // 'Ada, Grace | @ada, @grace': the n-th handle is the n-th person's, when the counts agree.
  const handles = readPeople(cellAt(row, columns.handle).lines).filter((p) => p.gitlabUsername);
  if (handles.length === people.length)
    people.forEach((p, i) => (p.gitlabUsername ??= handles[i]!.gitlabUsername));
  let role = roleText;
  if (columns.role === null) {
    // 'Person | Title' tables: the title is the role when it reads like one ('Facilitator').
    role = titleText && roleKindOf(titleText) !== 'other' ? titleText : 'Member';
  }
  if (!role) role = people.find((p) => p.gluedRole)?.gluedRole ?? previousRole ?? '';
  return { role, title: titleText, people };
}

const MAX_ROLE_ROWS = 1_000;

/**
 * The people in a roles table, one entry per person and role. A blank role cell takes the role of the row
 * above (pages leave it blank under the first of several people with the same role); a role with nobody
 * in it is a warning; a row with more cells than the header is read as far as the header goes.
 */
export function readRolesGrid(grid: Grid, ctx: ReadContext): ParsedRole[] {
  const header = grid.rows[0];
  if (!header) return [];
  const columns = withNamesColumn(roleColumns(header), grid);
  const roles: ParsedRole[] = [];
  let previousRole: string | null = null;
  let peopleless = 0;
  for (const row of grid.rows.slice(1, MAX_ROLE_ROWS)) {
    if (row.cells.length > header.cells.length) {
      ctx.warnings.push({
        line: row.line,
        message: `this roles row has ${row.cells.length} cells but the header has ${header.cells.length}; the extra cells are ignored (a '|' inside a name or title? Escape it as '\\|')`,
      });
    }
    const read = rowPeople(row, columns, previousRole);
    if (!read) {
      peopleless += 1;
      continue;
    }
    const role = read.role || 'Member';
    if (!read.role)
      ctx.warnings.push({ line: row.line, message: "this roles row has no role; read as 'Member'" });
    previousRole = role;
    if (read.people.length === 0) {
      ctx.warnings.push({ line: row.line, message: `the role '${role}' has nobody in it; skipped` });
      continue;
    }
    for (const person of read.people) {
      const title = read.title ?? (person.gluedRole && person.gluedRole !== role ? person.gluedRole : null);
      roles.push({
        role,
        kind: roleKindOf(role),
        name: person.name,
        title,
        gitlabUsername: person.gitlabUsername,
        line: row.line,
      });
    }
  }
  if (peopleless > 0 && roles.length === 0) {
    ctx.warnings.push({
      line: grid.line,
      message: 'this roles table names no people (no person column); skipped',
    });
  }
  return roles;
}

// '**Exec Sponsor**: Ada Lovelace - Chief Product Officer', 'Facilitator: Ada Lovelace (@ada), Engineering Manager'.
const ROLE_LINE = /^\s*([^:：]{2,60}?)\s*[:：]\s*(.+)$/u;
const NAME_END = /\s+[-–—]\s+|\s*,\s*|\s+\((?!@)/u;

/**
 * People listed in a roles section instead of a table, one 'Role: Name - Title' item each. Only items
 * whose label is a known role and whose name reads as a name count: a list of duties stays a list of duties.
 */
export function readRolesList(list: List): ParsedRole[] {
  const roles: ParsedRole[] = [];
  for (const item of list.children.slice(0, MAX_ROLE_ROWS)) {
    const head = item.children.find((child) => child.type === 'paragraph');
    const match = head ? ROLE_LINE.exec(plainText(head)) : null;
    if (!match || roleKindOf(match[1]!) === 'other') continue;
    const rest = match[2]!.trim();
    const cut = NAME_END.exec(rest);
    const nameText = (cut ? rest.slice(0, cut.index) : rest).trim();
    if (!PERSON_NAME.test(nameText)) continue;
    const [person] = readPeople([{ text: nameText, links: head ? linksOf(head) : [] }]);
    if (!person) continue;
    const title = cut
      ? rest
          .slice(cut.index + cut[0].length)
          .replace(/\)\s*$/, '')
          .trim() || null
      : null;
    roles.push({
      role: match[1]!,
      kind: roleKindOf(match[1]!),
      name: person.name,
      title,
      gitlabUsername: person.gitlabUsername,
      line: lineOf(item),
    });
  }
  return roles;
}

function linksOf(node: Paragraph): { text: string; url: string }[] {
  return node.children.flatMap((child) =>
    child.type === 'link' ? [{ text: plainText(child), url: child.url }] : [],
  );
}
