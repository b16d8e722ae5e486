import type { Heading, Nodes, Root, RootContent } from 'mdast';
import type { FollowUp } from '../domain/types.js';
import {
  type AttributeEntry,
  attributeEntries,
  type Attributes,
  isAttributesGrid,
  NO_ATTRIBUTES,
  readAttributeEntries,
} from './attributes.js';
import { firstParagraph } from './criteriaList.js';
import { criteriaColumns } from './criteriaTable.js';
import { ImportError, type ImportWarning } from './errors.js';
import { readFrontMatter } from './frontMatter.js';
import { type Grid, markdownGrid } from './grid.js';
import { readCriteriaRegion } from './headingCriteria.js';
import { htmlGridsOf } from './htmlTable.js';
import { lifecycleFromSentence, readLifecycle } from './lifecycle.js';
import { resolveUrl } from './links.js';
import { firstLinkUrl, headingId, lineOf, plainText } from './markdown.js';
import {
  DEFAULT_PARSE_OPTIONS,
  type Lifecycle,
  type ParsedCriterion,
  type ParsedRole,
  type ParsedWorkingGroup,
  type ParseOptions,
  type ReadContext,
} from './model.js';
import { isRolesGrid, mayBeRolesGrid, readRolesGrid, readRolesList } from './rolesTable.js';
import { hashSlug, slugify } from './slug.js';

export type { Lifecycle, ParsedCriterion, ParsedRole, ParsedWorkingGroup, ParseOptions };

type SectionKind = 'attributes' | 'goal' | 'entry' | 'exit' | 'followUps' | 'roles' | 'outcome' | 'other';

// English first, then the words translated pages use (Japanese): a heading's kind from either.
const SECTION_RULES: [RegExp, SectionKind][] = [
  [/entry criteria|開始基準|開始条件|参加基準/i, 'entry'],
  [
    /exit criteria|exit goals?|success criteria|definition of done|completion criteria|acceptance criteria|criteria for (?:success|completion|exit)|^criteria\b|key results|^exit\b|終了基準|終了条件|完了基準|完了条件|成功基準|達成基準|完了の定義/i,
    'exit',
  ],
  [
    /roles|responsibilit|^members$|^people$|^team$|^membership$|^who\b|^participants$|役割|責任|^メンバー/i,
    'roles',
  ],
  [
    /follow[- ]?ups?|post[- ]working[- ]group|planned improvements|future work|next steps after|フォローアップ|後の計画|今後の(?:計画|作業|改善)/i,
    'followUps',
  ],
  [
    /^outcomes?$|^results?$|^conclusion|^closing|^wrap[- ]?up|^final status|^結果$|^成果$|^まとめ$|^結論/i,
    'outcome',
  ],
  [
    /business goal|^goals?$|^objectives?$|^purpose$|^mission$|^charter$|目標$|^目的$|^ミッション$|^憲章$/i,
    'goal',
  ],
  [
    /^attributes$|^properties$|^details$|^overview$|^facts$|^summary$|^info(?:rmation)?$|^status$|^metadata$|^属性$|^プロパティ$|^ステータス$/i,
    'attributes',
  ],
];

/** What a heading's section is, by its words, else by its '{#id}' ('終了基準 {#exit-criteria}'). */
function sectionKindOf(text: string, id: string | null): SectionKind | null {
  const byText = SECTION_RULES.find(([pattern]) => pattern.test(text))?.[1];
  if (byText) return byText;
  const idWords = id ? id.replace(/[-_]+/g, ' ').trim() : '';
  return idWords ? (SECTION_RULES.find(([pattern]) => pattern.test(idWords))?.[1] ?? null) : null;
}

/** Headings only a working-group page has: how `import` tells a page from an epic description. */
export function looksLikeWorkingGroupHeading(text: string): boolean {
  return /exit criteria|entry criteria|roles and responsibilities|business goal|working group roles|exit goals|終了基準|終了条件|開始基準|役割と責任|ビジネス目標/i.test(
    text,
  );
}

/** Headings a page may use for its exit criteria that an epic may use too: a page only with a roles table. */
export function looksLikeCriteriaHeading(text: string): boolean {
  return /success criteria|definition of done|completion criteria|key results|完了基準|成功基準/i.test(text);
}

interface Region {
  kind: SectionKind;
  heading: Heading | null;
  /** A sub-section that took its kind from the section above it ('### Functional Areas' under roles). */
  inherited?: boolean;
  /** The section's content, sub-headings that belong to it included. */
  nodes: RootContent[];
}

/**
 * Cuts the page into sections at its headings. A heading no rule knows, below an exit or entry criteria
 * heading ('### Phase 1' under '## Exit Criteria'), stays part of that section, heading and all; the
 * page's '#' title lends its kind to nothing ('# Exit Criteria WG').
 */
function regions(root: Root): Region[] {
  const result: Region[] = [{ kind: 'other', heading: null, nodes: [] }];
  const known: { depth: number; kind: SectionKind }[] = [];
  for (const node of root.children) {
    if (node.type !== 'heading') {
      result.at(-1)!.nodes.push(node);
      continue;
    }
    const text = plainText(node);
    while (known.length > 0 && known.at(-1)!.depth >= node.depth) known.pop();
    const own = sectionKindOf(text, headingId(node));
    const parent = known.at(-1);
    const inCriteria = parent && parent.depth >= 2 && (parent.kind === 'entry' || parent.kind === 'exit');
    if (inCriteria && (own === null || own === parent.kind)) {
      result.at(-1)!.nodes.push(node);
      continue;
    }
    // '### Functional Areas and DRIs' under '## Roles and Responsibilities': more of the roles.
    if (parent?.kind === 'roles' && own === null) {
      result.push({ kind: 'roles', heading: node, nodes: [], inherited: true });
      continue;
    }
    if (own) known.push({ depth: node.depth, kind: own });
    result.push({ kind: own ?? 'other', heading: node, nodes: [] });
  }
  return result;
}

// ------------------------------------------------------------------------------------------------- tables

type TableUse = 'roles' | 'attributes' | 'criteria' | 'none';

function gridsOf(node: RootContent): Grid[] {
  if (node.type === 'table') return [markdownGrid(node)];
  return htmlGridsOf(node);
}

/** What one table on the page is, by its columns first and by the section it is in second. */
function tableUse(grid: Grid, kind: SectionKind, inherited = false): TableUse {
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
function attributeLines(nodes: RootContent[]): AttributeEntry[] {
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

// ------------------------------------------------------------------------------------------------ the rest

function readFollowUps(nodes: RootContent[]): FollowUp[] {
  return nodes
    .filter((node) => node.type === 'list')
    .flatMap((list) =>
      list.children.flatMap((item) => {
        const head = firstParagraph(item);
        const title = head ? plainText(head) : '';
        return title ? [{ title, url: head ? firstLinkUrl(head) : null }] : [];
      }),
    );
}

function proseOf(nodes: RootContent[]): string {
  return nodes
    .filter((node) => node.type === 'paragraph' || node.type === 'list' || node.type === 'blockquote')
    .map((node) => plainText(node))
    .join('\n\n');
}

/** 'This working group was disbanded in …' anywhere outside the criteria: the first such sentence. */
function lifecycleSentence(all: Region[]): Lifecycle | null {
  for (const region of all) {
    if (region.kind === 'exit' || region.kind === 'entry') continue;
    for (const node of region.nodes.slice(0, 200)) {
      if (node.type !== 'paragraph' && node.type !== 'blockquote') continue;
      const said = lifecycleFromSentence(plainText(node));
      if (said) return said;
    }
  }
  return null;
}

function resolveCriteria(criteria: ParsedCriterion[], baseUrl: string | null): void {
  for (const c of criteria) {
    if (c.url) c.url = resolveUrl(c.url, baseUrl);
    resolveCriteria(c.children, baseUrl);
  }
}

function pageTitle(root: Root, frontTitle: string | null, options: ParseOptions): string {
  const h1 = root.children.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
  const anyHeading = root.children.find((n): n is Heading => n.type === 'heading');
  const name = frontTitle ?? (h1 ? plainText(h1) : null) ?? options.fallbackTitle;
  const chosen = name ?? (anyHeading ? plainText(anyHeading) : null);
  if (!chosen) {
    throw new ImportError('the page has no title: add front matter (`title: "…"`) or a `# Title` heading', 1);
  }
  return chosen.slice(0, 200);
}

interface Collected {
  attributeEntries: AttributeEntry[];
  sawAttributes: boolean;
  roles: ParsedRole[];
  sawRoles: boolean;
  exit: ParsedCriterion[];
  entry: ParsedCriterion[];
  goal: string | null;
  outcome: string | null;
  followUps: FollowUp[];
}

function collect(all: Region[], ctx: ReadContext): Collected {
  const c: Collected = {
    attributeEntries: [],
    sawAttributes: false,
    roles: [],
    sawRoles: false,
    exit: [],
    entry: [],
    goal: null,
    outcome: null,
    followUps: [],
  };
  const looseCriteriaTables: ParsedCriterion[] = [];
  for (const region of all) {
    const criteriaGrids = new Map<RootContent, Grid[]>();
    for (const node of region.nodes) {
      for (const grid of gridsOf(node)) {
        const use = tableUse(grid, region.kind, region.inherited);
        if (use === 'roles') {
          c.roles.push(...readRolesGrid(grid, ctx));
          c.sawRoles = true;
        } else if (use === 'attributes') {
          c.attributeEntries.push(...attributeEntries(grid));
          c.sawAttributes = true;
        } else if (use === 'criteria') {
          criteriaGrids.set(node, [...(criteriaGrids.get(node) ?? []), grid]);
        }
      }
    }
    if (region.kind === 'roles') {
      for (const node of region.nodes) if (node.type === 'list') c.roles.push(...readRolesList(node));
    }
    const gridsFor = (node: RootContent) => criteriaGrids.get(node) ?? [];
    switch (region.kind) {
      case 'exit':
      case 'entry':
        (region.kind === 'exit' ? c.exit : c.entry).push(
          ...readCriteriaRegion(region.nodes, gridsFor, true, ctx),
        );
        break;
      case 'goal':
        c.goal ??= proseOf(region.nodes) || null;
        break;
      case 'outcome':
        c.outcome ??= proseOf(region.nodes) || null;
        break;
      case 'followUps':
        c.followUps.push(...readFollowUps(region.nodes));
        break;
      default:
        looseCriteriaTables.push(
          ...readCriteriaRegion(
            region.nodes.filter((n) => criteriaGrids.has(n)),
            gridsFor,
            false,
            ctx,
          ),
        );
        if (region.kind === 'attributes' || region.kind === 'other') {
          const lines = attributeLines(region.nodes);
          if (lines.length > 0 && region.kind === 'attributes') c.sawAttributes = true;
          c.attributeEntries.push(...lines);
        }
    }
  }
  // A criteria table with a progress column outside any criteria section: the page's criteria, if it has no others.
  if (c.exit.length === 0) c.exit.push(...looseCriteriaTables);
  return c;
}

function readPageAttributes(c: Collected, ctx: ReadContext): Attributes {
  const attrs =
    c.attributeEntries.length > 0
      ? readAttributeEntries(c.attributeEntries, ctx.options, ctx.warnings)
      : NO_ATTRIBUTES;
  return attrs;
}

interface PageSays {
  frontMatterStatus: string | null;
  attrs: Attributes;
  outcome: string | null;
  sentence: Lifecycle | null;
  slug: string;
}

/** Where the group stands (see readLifecycle), with a warning naming the line whenever a date alone decided. */
function pageLifecycle(
  page: PageSays,
  opts: ParseOptions,
  warnings: ImportWarning[],
): { lifecycle: Lifecycle; endedOn: string | null } {
  const { attrs } = page;
  const reading = readLifecycle({
    frontMatterStatus: page.frontMatterStatus,
    statusAttribute: attrs.status,
    endedOn: attrs.endedOn,
    endDate: attrs.endDate,
    outcome: page.outcome,
    sentence: page.sentence,
    today: opts.today,
  });
  const source = attrs.sources[reading.endedByDate ?? 'endDate'];
  const label = source?.label ?? 'End Date';
  const line = source?.line ?? null;
  if (reading.endedByDate) {
    const stale = page.frontMatterStatus
      ? ` (the front matter's 'status: ${page.frontMatterStatus}' is taken as out of date)`
      : '';
    warnings.push({
      line,
      message: `read as ended on ${reading.endedOn} because the '${label}' has passed${stale}; if the group is still going, correct the page or run 'wgbot unarchive ${page.slug}'`,
    });
  } else if (reading.endDateOverruled) {
    warnings.push({
      line,
      message: `the '${label}' ${attrs.endDate} has passed but the page's status says '${attrs.status}': read as active; if the group ended, correct the status`,
    });
  }
  return reading;
}

const MAX_WARNINGS = 200;

/**
 * Reads a handbook working-group page: front matter or `#` title, attributes (a table in markdown or
 * HTML, or 'Label: value' lines), business goal, entry and exit criteria (lists with `=> NN%` markers,
 * done marks and struck-through items; criteria tables; sub-headings with markers), planned follow-ups,
 * the roles table and where the group stands (active, paused, ended). Sections are found by their
 * headings, tables also by their columns. What it cannot read in a cell or an item is a warning naming
 * the line; only a page with no title at all, or with neither criteria, roles nor attributes, is refused.
 */
export function parseWorkingGroupPage(root: Root, options: Partial<ParseOptions> = {}): ParsedWorkingGroup {
  const opts: ParseOptions = { ...DEFAULT_PARSE_OPTIONS, ...options };
  const ctx: ReadContext = { options: opts, warnings: [] };
  const front = readFrontMatter(root, ctx.warnings);
  const name = pageTitle(root, front.title, opts);
  // Never refused for its title: a title of symbols alone still gives a slug, from a hash of it.
  const slug =
    slugify(front.slug ?? '') || slugify(name) || slugify(opts.fallbackTitle ?? '') || hashSlug(name);

  const all = regions(root);
  const c = collect(all, ctx);
  const attrs = readPageAttributes(c, ctx);
  const { sources: _sources, ...values } = attrs;
  const sawAttributes = c.sawAttributes || Object.values(values).some((v) => v !== null);
  if (c.exit.length === 0 && c.entry.length === 0 && c.roles.length === 0 && !sawAttributes) {
    throw new ImportError(
      'the page has neither exit criteria, nor a roles table, nor attributes (dates, Slack channel)',
      1,
    );
  }
  const targetEndDate = attrs.targetEndDate ?? attrs.endDate;
  const outcome = attrs.outcome ?? c.outcome;
  const { lifecycle, endedOn } = pageLifecycle(
    { frontMatterStatus: front.status, attrs, outcome, sentence: lifecycleSentence(all), slug },
    opts,
    ctx.warnings,
  );
  resolveCriteria(c.exit, opts.baseUrl);
  resolveCriteria(c.entry, opts.baseUrl);
  const group: ParsedWorkingGroup = {
    slug,
    name,
    description: front.description,
    createdDate: attrs.createdDate,
    targetEndDate,
    channel: attrs.channel,
    docUrl: attrs.docUrl && resolveUrl(attrs.docUrl, opts.baseUrl),
    taskBoardUrl: attrs.taskBoardUrl && resolveUrl(attrs.taskBoardUrl, opts.baseUrl),
    businessGoal: c.goal,
    entryCriteria: c.entry,
    exitCriteria: c.exit,
    followUps: c.followUps.map((f) => ({ ...f, url: f.url && resolveUrl(f.url, opts.baseUrl) })),
    roles: c.roles,
    lifecycle,
    endedOn,
    outcome: outcome ? outcome.slice(0, 2000) : null,
    // In page order, so a person fixing the page reads them top to bottom.
    warnings: [...ctx.warnings].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity)),
  };
  addPageWarnings(group, sawAttributes, c.sawRoles || c.roles.length > 0);
  if (group.warnings.length > MAX_WARNINGS) {
    const left = group.warnings.length - MAX_WARNINGS;
    group.warnings = [
      ...group.warnings.slice(0, MAX_WARNINGS),
      { line: null, message: `${left} more warnings left out` },
    ];
  }
  return group;
}

function addPageWarnings(group: ParsedWorkingGroup, sawAttributes: boolean, sawRoles: boolean): void {
  const warnings: ImportWarning[] = group.warnings;
  if (!sawAttributes)
    warnings.push({ line: null, message: 'no attributes table: dates and Slack channel are unknown' });
  if (!sawRoles) {
    warnings.push({
      line: null,
      message: 'no roles table: nobody can change this group from Slack until a facilitator is added',
    });
  }
  if (group.exitCriteria.length === 0) warnings.push({ line: null, message: 'no exit criteria found' });
  if (group.createdDate && group.targetEndDate && group.targetEndDate < group.createdDate) {
    warnings.push({
      line: null,
      message: `the target end date ${group.targetEndDate} is before the creation date ${group.createdDate}`,
    });
  }
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
