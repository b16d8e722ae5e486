import type { Heading, Root, RootContent } from 'mdast';
import type { FollowUp } from '../domain/types.js';
import {
  type AttributeEntry,
  attributeEntries,
  type Attributes,
  NO_ATTRIBUTES,
  readAttributeEntries,
} from './attributes.js';
import { firstParagraph } from './criteriaList.js';
import { ImportError, type ImportWarning } from './errors.js';
import { readFrontMatter } from './frontMatter.js';
import type { Grid } from './grid.js';
import { readCriteriaRegion } from './headingCriteria.js';
import { lifecycleFromSentence, readLifecycle } from './lifecycle.js';
import { resolveUrl } from './links.js';
import { firstLinkUrl, plainText } from './markdown.js';
import {
  DEFAULT_PARSE_OPTIONS,
  type Lifecycle,
  type ParsedCriterion,
  type ParsedRole,
  type ParsedWorkingGroup,
  type ParseOptions,
  type ReadContext,
} from './model.js';
import { attributeLines, gridsOf, tableUse } from './pageTables.js';
import { readRolesGrid, readRolesList } from './rolesTable.js';
import { type Region, regions } from './sections.js';
import { hashSlug, slugify } from './slug.js';

export type { Lifecycle, ParsedCriterion, ParsedRole, ParsedWorkingGroup, ParseOptions };
export { looksLikeAttributesTable, looksLikeCriteriaTable, looksLikeRolesTable } from './pageTables.js';
export { looksLikeCriteriaHeading, looksLikeWorkingGroupHeading } from './sections.js';

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
