import { roleKindOf } from '../domain/roles.js';
import { cellAt, type Grid, type GridRow } from './grid.js';
import type { ParsedRole, ReadContext } from './model.js';
import { type Person, readPeople, splitGluedRole } from './people.js';

export interface RoleColumns {
  role: number | null;
  person: number | null;
  title: number | null;
}

const ROLE_HEADER = /role|^position$|^function$/i;
const PERSON_HEADER = /person|name|who|people|member|individual|assignee|^dris?$|^owner|^gitlab|handle/i;
const TITLE_HEADER = /title|position|job|function|team|department|responsib|description|duties/i;

export function roleColumns(header: GridRow): RoleColumns {
  const names = header.cells.map((cell) => cell.text.replace(/[*_`]/g, '').trim());
  const find = (pattern: RegExp, taken: number[]) => {
    const i = names.findIndex((n, j) => !taken.includes(j) && pattern.test(n));
    return i < 0 ? null : i;
  };
  const role = find(ROLE_HEADER, []);
  const person = find(PERSON_HEADER, role === null ? [] : [role]);
  const title = find(
    TITLE_HEADER,
    [role, person].filter((i): i is number => i !== null),
  );
  return { role, person, title };
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
  const columns = roleColumns(header);
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
