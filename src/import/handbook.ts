import type {
  Heading,
  List,
  ListItem,
  Nodes,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Table,
  TableRow,
} from 'mdast';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { roleKindOf } from '../domain/roles.js';
import type { FollowUp, IsoDate, RoleKind } from '../domain/types.js';
import { ImportError, type ImportWarning } from './errors.js';
import { parseHumanDate } from './humanDate.js';
import { cellLines, firstLinkUrl, lineOf, plainText } from './markdown.js';
import { readCompletionMarker } from './percent.js';
import { slugify } from './slug.js';

export interface ParsedCriterion {
  title: string;
  url: string | null;
  percent: number | null;
  /** The criterion's DRI/owner as the page names it (a criteria table's owner column), or null. */
  owner: string | null;
  line: number | null;
  children: ParsedCriterion[];
}

export interface ParsedRole {
  role: string;
  kind: RoleKind;
  name: string;
  title: string | null;
  gitlabUsername: string | null;
  line: number | null;
}

/** Where a group stands in its life, as the page tells it (front matter `status`, an end date, an outcome). */
export type Lifecycle = 'active' | 'paused' | 'ended';

export interface ParsedWorkingGroup {
  slug: string;
  name: string;
  description: string | null;
  createdDate: IsoDate | null;
  targetEndDate: IsoDate | null;
  channel: string | null;
  docUrl: string | null;
  taskBoardUrl: string | null;
  businessGoal: string | null;
  entryCriteria: ParsedCriterion[];
  exitCriteria: ParsedCriterion[];
  followUps: FollowUp[];
  roles: ParsedRole[];
  /** 'ended' from `status: completed|disbanded`, a Date Ended/Closed or a closed outcome; 'paused' likewise. */
  lifecycle: Lifecycle;
  /** The day the group ended, when the page says it. */
  endedOn: IsoDate | null;
  /** The page's Outcome attribute, as written. */
  outcome: string | null;
  warnings: ImportWarning[];
}

type SectionKind = 'attributes' | 'goal' | 'entry' | 'exit' | 'followUps' | 'roles' | 'other';

const SECTION_RULES: [RegExp, SectionKind][] = [
  [/entry criteria/i, 'entry'],
  [/exit criteria|success criteria|definition of done/i, 'exit'],
  [/roles|responsibilit|^members$|^people$|^team$/i, 'roles'],
  [/follow[- ]?ups?|post[- ]working[- ]group|planned improvements|future work/i, 'followUps'],
  [/business goal|^goals?$|^objectives?$/i, 'goal'],
  [/^attributes$|^properties$|^details$|^overview$/i, 'attributes'],
];

/** Headings only a working-group page has: how `import` tells a page from an epic description. */
export function looksLikeWorkingGroupHeading(text: string): boolean {
  return /exit criteria|entry criteria|roles and responsibilities|business goal/i.test(text);
}

/** Headings a page may use for its exit criteria that an epic may use too: a page only with a roles table. */
export function looksLikeCriteriaHeading(text: string): boolean {
  return /success criteria|definition of done/i.test(text);
}

/** A table with a role column and a person column (a page's roles, or an epic's DRIs). */
export function looksLikeRolesTable(table: Table): boolean {
  const columns = table.children[0] ? roleColumns(table.children[0]) : null;
  return columns !== null && !('missing' in columns);
}

interface Section {
  kind: SectionKind;
  heading: Heading | null;
  nodes: RootContent[];
}

/**
 * Cuts the page at every heading: criteria sit under '###' inside '##' sections, so any level starts one.
 * A heading no rule knows, below one that a rule knows ('### Phase 1' under '## Exit Criteria'), stays
 * part of it.
 */
function sections(root: Root): Section[] {
  const result: Section[] = [{ kind: 'other', heading: null, nodes: [] }];
  const known: { depth: number; kind: SectionKind }[] = [];
  for (const node of root.children) {
    if (node.type === 'heading') {
      const text = plainText(node);
      while (known.length > 0 && known.at(-1)!.depth >= node.depth) known.pop();
      const own = SECTION_RULES.find(([pattern]) => pattern.test(text))?.[1] ?? null;
      if (own) known.push({ depth: node.depth, kind: own });
      // Only criteria sections lend their kind, and not from the page's '#' title ('Exit Criteria WG').
      const parent = known.at(-1);
      const inherited =
        parent && parent.depth >= 2 && (parent.kind === 'entry' || parent.kind === 'exit')
          ? parent.kind
          : null;
      const kind = own ?? inherited ?? 'other';
      result.push({ kind, heading: node, nodes: [] });
    } else {
      result.at(-1)!.nodes.push(node);
    }
  }
  return result;
}

interface FrontMatter {
  title: string | null;
  description: string | null;
  slug: string | null;
}

function readFrontMatter(root: Root): FrontMatter {
  const node = root.children[0];
  if (node?.type !== 'yaml') return { title: null, description: null, slug: null };
  const firstLine = (lineOf(node) ?? 1) + 1;
  let data: unknown;
  try {
    data = parseYaml(node.value, { logLevel: 'error' });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0]?.line;
      throw new ImportError(
        `the front matter is not valid YAML: ${error.message.split('\n')[0]}`,
        at ? firstLine + at - 1 : firstLine,
      );
    }
    throw error;
  }
  if (data === null || data === undefined) return { title: null, description: null, slug: null };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ImportError('the front matter must be a YAML mapping such as `title: "…"`', firstLine);
  }
  const record = data as Record<string, unknown>;
  const field = (key: string): string | null => {
    const value = record[key];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' || typeof value === 'number') return String(value).trim() || null;
    throw new ImportError(`the front matter field '${key}' must be text`, firstLine);
  };
  return { title: field('title'), description: field('description'), slug: field('slug') };
}

// ---------------------------------------------------------------------------------------------- attributes

type AttributeKey = 'createdDate' | 'targetEndDate' | 'channel' | 'docUrl' | 'taskBoardUrl';

const ATTRIBUTE_RULES: [RegExp, AttributeKey][] = [
  [/target|end date|due/i, 'targetEndDate'],
  [/created|start/i, 'createdDate'],
  [/slack|channel/i, 'channel'],
  [/board|epic/i, 'taskBoardUrl'],
  [/doc|agenda|notes/i, 'docUrl'],
];

function attributeKey(label: string): AttributeKey | null {
  return ATTRIBUTE_RULES.find(([pattern]) => pattern.test(label))?.[1] ?? null;
}

function isAttributesTable(table: Table): boolean {
  const keys = table.children.slice(1).map((row) => attributeKey(plainText(row.children[0] ?? [])));
  return keys.filter((k) => k !== null).length >= 2;
}

const CHANNEL_ID = /\b([CG][A-Z0-9]{8,})\b/;
const CHANNEL_NAME = /#([a-z0-9][a-z0-9_-]{0,79})/i;

/** '#wg_name' from a cell like '[#wg_name](https://join.slack.com/…) (internal)', or a channel ID. */
function readChannel(cellText: string, url: string | null): string | null {
  const name = CHANNEL_NAME.exec(cellText);
  if (name) return `#${name[1]!.toLowerCase()}`;
  const id = CHANNEL_ID.exec(url ?? '') ?? CHANNEL_ID.exec(cellText);
  return id ? id[1]! : null;
}

interface Attributes {
  createdDate: IsoDate | null;
  targetEndDate: IsoDate | null;
  channel: string | null;
  docUrl: string | null;
  taskBoardUrl: string | null;
}

function readAttributes(table: Table, warnings: ImportWarning[]): Attributes {
  const attrs: Attributes = {
    createdDate: null,
    targetEndDate: null,
    channel: null,
    docUrl: null,
    taskBoardUrl: null,
  };
  // A 'Property | Value' header is a header; a first row that is itself an attribute is data.
  const rows = attributeKey(plainText(table.children[0]?.children[0] ?? []))
    ? table.children
    : table.children.slice(1);
  for (const row of rows) {
    const [labelCell, valueCell] = row.children;
    if (!labelCell) continue;
    const label = plainText(labelCell);
    const key = attributeKey(label);
    if (!key || !valueCell) continue;
    const text = plainText(valueCell);
    const url = firstLinkUrl(valueCell);
    const line = lineOf(row);
    switch (key) {
      case 'createdDate':
      case 'targetEndDate': {
        const parsed = parseHumanDate(text);
        if (!parsed.ok) {
          throw new ImportError(
            `cannot read the date '${text}' for '${label}' (write it like 'July 7th, 2021' or '2021-07-07')`,
            line,
          );
        }
        attrs[key] = parsed.date;
        break;
      }
      case 'channel':
        attrs.channel = readChannel(text, url);
        if (!attrs.channel && text) warnings.push({ line, message: `no Slack channel found in '${text}'` });
        break;
      default:
        attrs[key] = url ?? (/^https?:\/\/\S+$/.test(text) ? text : null);
    }
  }
  return attrs;
}

// ------------------------------------------------------------------------------------------------ criteria

function firstParagraph(item: ListItem): Paragraph | null {
  const node = item.children.find((child) => child.type === 'paragraph');
  return node?.type === 'paragraph' ? node : null;
}

/** Drops what is left of a removed marker: dangling separators and empty brackets at the end. */
function tidyTitle(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/[\s:;,\-–—]+$/u, '')
    .replace(/\(\s*\)$/, '')
    .trim();
}

function readCriterion(item: ListItem, warnings: ImportWarning[]): ParsedCriterion | null {
  const line = lineOf(item);
  const head = firstParagraph(item);
  const text = head ? plainText(head) : '';
  const marker = readCompletionMarker(text, line);
  let percent = marker.percent;
  // A ticked task-list box is a criterion done; an empty one, a criterion not started.
  if (percent === null && item.checked !== null && item.checked !== undefined)
    percent = item.checked ? 100 : 0;
  const title = tidyTitle(marker.rest);
  const children = item.children
    .filter((child): child is List => child.type === 'list')
    .flatMap((list) => readCriteriaList(list, warnings));
  if (!title) {
    if (percent !== null) throw new ImportError('a criterion has a completion marker but no text', line);
    if (children.length === 0) {
      warnings.push({ line, message: 'an empty list item was skipped' });
      return null;
    }
  }
  return {
    title: title || '(untitled)',
    url: head ? firstLinkUrl(head) : null,
    percent,
    owner: null,
    line,
    children,
  };
}

function readCriteriaList(list: List, warnings: ImportWarning[]): ParsedCriterion[] {
  return list.children.flatMap((item) => readCriterion(item, warnings) ?? []);
}

function readFollowUps(nodes: RootContent[]): FollowUp[] {
  return nodes
    .filter((node): node is List => node.type === 'list')
    .flatMap((list) =>
      list.children.flatMap((item) => {
        const head = firstParagraph(item);
        const title = head ? plainText(head) : '';
        return title ? [{ title, url: head ? firstLinkUrl(head) : null }] : [];
      }),
    );
}

// --------------------------------------------------------------------------------------------------- roles

interface RoleColumns {
  role: number;
  person: number;
  title: number | null;
}

function roleColumns(header: TableRow): RoleColumns | { missing: string[]; found: string[] } {
  const names = header.children.map((cell) => plainText(cell));
  const role = names.findIndex((n) => /role/i.test(n));
  const person = names.findIndex((n, i) => i !== role && /person|name|who|people|member|individual/i.test(n));
  const title = names.findIndex(
    (n, i) => i !== role && i !== person && /title|position|job|function|team|department|responsib/i.test(n),
  );
  const missing = [...(role < 0 ? ['Role'] : []), ...(person < 0 ? ['Person'] : [])];
  if (missing.length > 0) return { missing, found: names };
  return { role, person, title: title < 0 ? null : title };
}

const NOBODY = /^(|-+|—|–|tbd|tba|n\/?a|none|vacant|open|\?+)$/i;
const GITLAB_PROFILE = /^https?:\/\/[^/]+\/([A-Za-z0-9_.-]+)\/?$/;

/** The people in one 'Person' cell: several per cell are split at `<br>`, ',', ';', '&' and ' and '. */
function readPeople(cell: {
  children: PhrasingContent[];
}): { name: string; gitlabUsername: string | null }[] {
  const people: { name: string; gitlabUsername: string | null }[] = [];
  for (const line of cellLines(cell)) {
    const links = new Map<string, string>();
    for (const node of line) if (node.type === 'link') links.set(plainText(node), node.url);
    for (const part of plainText(line).split(/\s*(?:[,;&/]|\band\b)\s*/)) {
      let name = part.trim();
      if (NOBODY.test(name) || !/\p{L}/u.test(name)) continue;
      let gitlabUsername: string | null = null;
      if (name.startsWith('@')) {
        gitlabUsername = name.slice(1);
        name = gitlabUsername;
      } else {
        const profile = GITLAB_PROFILE.exec(links.get(name) ?? '');
        if (profile) gitlabUsername = profile[1]!;
      }
      people.push({ name: name.slice(0, 120), gitlabUsername });
    }
  }
  return people;
}

function readRoles(table: Table, columns: RoleColumns, warnings: ImportWarning[]): ParsedRole[] {
  const headerWidth = table.children[0]!.children.length;
  const roles: ParsedRole[] = [];
  let previousRole: string | null = null;
  for (const row of table.children.slice(1)) {
    const line = lineOf(row);
    if (row.children.length > headerWidth) {
      throw new ImportError(
        `this roles row has ${row.children.length} cells but the header has ${headerWidth}; is there a '|' inside a name or title? Escape it as '\\|'`,
        line,
      );
    }
    const cell = (i: number | null) => (i === null ? undefined : row.children[i]);
    let role = plainText(cell(columns.role) ?? []);
    if (!role) {
      // Pages often leave the role blank under the first of several people with the same role.
      if (!previousRole)
        throw new ImportError('this roles row has no role and no row above it to take one from', line);
      role = previousRole;
    }
    previousRole = role;
    const personCell = cell(columns.person);
    const people = personCell ? readPeople(personCell) : [];
    if (people.length === 0) {
      warnings.push({ line, message: `the role '${role}' has nobody in it; skipped` });
      continue;
    }
    const titleCell = cell(columns.title);
    const title = titleCell ? plainText(titleCell) || null : null;
    for (const person of people) {
      roles.push({
        role,
        kind: roleKindOf(role),
        name: person.name,
        title,
        gitlabUsername: person.gitlabUsername,
        line,
      });
    }
  }
  return roles;
}

// ---------------------------------------------------------------------------------------------------- page

/**
 * Reads a handbook working-group page (see shared/seeds/004_…): front matter or `#` title, attributes table,
 * business goal, entry and exit criteria with `=> NN%` markers, planned follow-ups and the roles table.
 * Sections are found by their headings, tables also by their columns, so pages that order, name or nest
 * their sections differently still read. Throws ImportError naming the line for what it cannot read.
 */
export function parseWorkingGroupPage(root: Root): ParsedWorkingGroup {
  const warnings: ImportWarning[] = [];
  const front = readFrontMatter(root);
  const h1 = root.children.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
  const name = front.title ?? (h1 ? plainText(h1) : null);
  if (!name) {
    throw new ImportError('the page has no title: add front matter (`title: "…"`) or a `# Title` heading', 1);
  }
  const slug = front.slug ? slugify(front.slug) : slugify(name);
  if (!slug)
    throw new ImportError(
      `cannot make a slug from the title '${name}'; pass --slug`,
      lineOf(h1 ?? root) ?? 1,
    );

  const group: ParsedWorkingGroup = {
    slug,
    name,
    description: front.description,
    createdDate: null,
    targetEndDate: null,
    channel: null,
    docUrl: null,
    taskBoardUrl: null,
    businessGoal: null,
    entryCriteria: [],
    exitCriteria: [],
    followUps: [],
    roles: [],
    lifecycle: 'active',
    endedOn: null,
    outcome: null,
    warnings,
  };

  let sawAttributes = false;
  let sawRoles = false;
  const readTable = (table: Table, kind: SectionKind) => {
    const columns = table.children[0] ? roleColumns(table.children[0]) : null;
    if (kind === 'roles' || (columns && !('missing' in columns))) {
      if (!columns) return;
      if ('missing' in columns) {
        throw new ImportError(
          `the roles table needs a ${columns.missing.map((m) => `'${m}'`).join(' and a ')} column (found: ${columns.found.join(', ') || 'none'})`,
          lineOf(table),
        );
      }
      group.roles.push(...readRoles(table, columns, warnings));
      sawRoles = true;
    } else if (kind === 'attributes' || isAttributesTable(table)) {
      Object.assign(group, readAttributes(table, warnings));
      sawAttributes = true;
    }
  };

  for (const section of sections(root)) {
    for (const node of section.nodes) if (node.type === 'table') readTable(node, section.kind);
    const lists = section.nodes.filter((node): node is List => node.type === 'list');
    switch (section.kind) {
      case 'goal': {
        const text = section.nodes
          .filter((node) => node.type === 'paragraph' || node.type === 'list')
          .map((node) => plainText(node as Nodes))
          .join('\n\n');
        group.businessGoal = text || group.businessGoal;
        break;
      }
      case 'entry':
        group.entryCriteria.push(...lists.flatMap((list) => readCriteriaList(list, warnings)));
        break;
      case 'exit':
        group.exitCriteria.push(...lists.flatMap((list) => readCriteriaList(list, warnings)));
        break;
      case 'followUps':
        group.followUps.push(...readFollowUps(section.nodes));
        break;
      default:
        break;
    }
  }

  if (!sawAttributes)
    warnings.push({ line: null, message: 'no attributes table: dates and Slack channel are unknown' });
  if (!sawRoles)
    warnings.push({
      line: null,
      message: 'no roles table: nobody can change this group from Slack until a facilitator is added',
    });
  if (group.exitCriteria.length === 0) warnings.push({ line: null, message: 'no exit criteria found' });
  if (group.createdDate && group.targetEndDate && group.targetEndDate < group.createdDate) {
    warnings.push({
      line: null,
      message: `the target end date ${group.targetEndDate} is before the creation date ${group.createdDate}`,
    });
  }
  return group;
}
