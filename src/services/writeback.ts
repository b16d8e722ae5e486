import { criterionProgress } from '../domain/criteria.js';
import { cleanPath, handbookPathCandidates } from '../domain/handbookPath.js';
import type { Criterion, CriterionProgress, PercentSource, WorkingGroup } from '../domain/types.js';
import { formatAge } from '../format.js';
import { GitlabHttpError } from '../gitlab/http.js';
import type { RepositoryClient, RepositoryFile } from '../gitlab/repository.js';
import { ImportError } from '../import/errors.js';
import {
  criterionLinesByTitle,
  type MarkerEdit,
  markerNumber,
  rewriteMarkers,
} from '../import/markerRewrite.js';
import { FollowThroughRepository } from '../store/repositories/followThrough.js';
import type { Store } from '../store/store.js';

/** One marker (or tick) the merge request changes, with where wgbot's figure comes from and how old it is. */
export interface MarkerChange extends MarkerEdit {
  criterion: string;
  source: PercentSource;
  /** 'GitLab epic https://…, synced 2 h ago', 'sub-items', 'set by hand in wgbot'. */
  origin: string;
}

export interface WritebackPlan {
  project: string;
  filePath: string;
  branch: string;
  changes: MarkerChange[];
  /** Criteria wgbot has a figure for that the page has no numeric marker for: left alone. */
  unmarked: string[];
  /** Criteria the page in the project no longer has where (or as) it was imported: left alone. */
  notOnPage: string[];
}

export type WritebackOutcome =
  | { kind: 'not-configured'; reason: string }
  | { kind: 'no-page'; reason: string }
  | { kind: 'read-only'; reason: string }
  | ({ kind: 'up-to-date' | 'dry-run'; mr: { iid: number; url: string } | null } & WritebackPlan)
  | ({ kind: 'opened' | 'updated'; mr: { iid: number; url: string }; commit: string } & WritebackPlan);

export const READ_ONLY =
  "GitLab refused the write: GITLAB_TOKEN needs the 'api' scope (and Developer access to HANDBOOK_PROJECT) to open merge requests";

/** The branch wgbot keeps a group's write-back on: one per group, so one merge request per group. */
export function writebackBranch(slug: string): string {
  return `wgbot/writeback/${slug}`;
}

interface Located {
  node: Criterion;
  progress: CriterionProgress;
}

/** Every stored criterion (entry and exit, sub-items included) beside its progress, in page order. */
function located(store: Store, wgId: number): Located[] {
  const pairs: Located[] = [];
  const visit = (nodes: Criterion[], progress: CriterionProgress[]) =>
    nodes.forEach((node, i) => {
      pairs.push({ node, progress: progress[i]! });
      visit(node.children, progress[i]!.children);
    });
  for (const section of ['exit', 'entry'] as const) {
    const tree = store.criteria.of(wgId, section);
    visit(tree, tree.map(criterionProgress));
  }
  return pairs;
}

/**
 * Opens (or updates) a merge request on the handbook project that sets the `=> NN%` markers and ticks of a
 * group's page to wgbot's figures and changes nothing else. The branch is rebuilt on the default branch at
 * each run (one commit, `force`), so the merge request's diff is only the markers even when the page moved
 * on meanwhile; while it is open, the same merge request is updated rather than a second one opened.
 */
export class WritebackService {
  readonly #records: FollowThroughRepository;

  constructor(
    private readonly store: Store,
    private readonly repo: RepositoryClient | null,
    private readonly project: string | null,
    private readonly now: () => Date,
  ) {
    this.#records = new FollowThroughRepository(store.db);
  }

  /** Sets where the group's page lives in the handbook project (null: back to the rule). */
  setPagePath(group: WorkingGroup, path: string | null): string | null {
    const clean = path === null ? null : cleanPath(path);
    if (clean === '') throw new ImportError(`'${path}' is not a path inside the handbook project`);
    this.store.transaction(() => this.#records.setPagePath(group.id, clean));
    return clean;
  }

  async run(group: WorkingGroup, options: { dryRun: boolean }): Promise<WritebackOutcome> {
    if (!this.project) return { kind: 'not-configured', reason: 'HANDBOOK_PROJECT is not set' };
    if (!this.repo) return { kind: 'not-configured', reason: 'GITLAB_TOKEN is not set' };
    try {
      return await this.#run(this.repo, this.project, group, options);
    } catch (error) {
      if (error instanceof GitlabHttpError && (error.status === 401 || error.status === 403))
        return { kind: 'read-only', reason: READ_ONLY };
      throw error;
    }
  }

  async #run(
    repo: RepositoryClient,
    project: string,
    group: WorkingGroup,
    options: { dryRun: boolean },
  ): Promise<WritebackOutcome> {
    const target = (await repo.getProject(project)).default_branch ?? 'main';
    const page = await this.#findPage(repo, project, group, target);
    if ('reason' in page) return { kind: 'no-page', reason: page.reason };
    // Writing the decoded text would turn every byte that is not UTF-8 into U+FFFD elsewhere on the page.
    if (!page.exact)
      return {
        kind: 'no-page',
        reason: `${page.filePath} on ${target} of ${project} is not valid UTF-8 text (another encoding, such as Windows-1252?): wgbot writes nothing to it; save it as UTF-8 first`,
      };
    const { plan, text } = this.#plan(group, project, page);
    const [open] = await repo.openMergeRequests(project, plan.branch);
    const mr = open ? { iid: open.iid, url: open.web_url } : null;
    if (plan.changes.length === 0) return { kind: 'up-to-date', mr, ...plan };
    if (options.dryRun) return { kind: 'dry-run', mr, ...plan };
    const commit = await repo.commitUpdate(project, {
      branch: plan.branch,
      startBranch: target,
      force: true,
      message: `${group.name}: completion markers from wgbot (${plan.changes.length} changed)`,
      filePath: plan.filePath,
      text,
      lastCommitId: page.lastCommitId,
    });
    const body = {
      title: `${group.name}: update completion markers`,
      description: mrDescription(group, plan),
    };
    const written = open
      ? await repo.updateMergeRequest(project, open.iid, body)
      : await repo.createMergeRequest(project, { sourceBranch: plan.branch, targetBranch: target, ...body });
    const done = { iid: written.iid, url: written.web_url };
    this.store.transaction(() =>
      this.#records.recordWrite(
        group.id,
        {
          branch: plan.branch,
          mrIid: done.iid,
          mrUrl: done.url,
          commitId: commit.id,
          changes: plan.changes.length,
        },
        this.now(),
      ),
    );
    return { kind: open ? 'updated' : 'opened', mr: done, commit: commit.id, ...plan };
  }

  /** The page in the project: the group's own path, else the first candidate of the rule that exists. */
  async #findPage(
    repo: RepositoryClient,
    project: string,
    group: WorkingGroup,
    ref: string,
  ): Promise<RepositoryFile | { reason: string }> {
    const own = this.#records.writeback(group.id)?.filePath ?? null;
    const sourceRef = this.#records.pageSource(group.id);
    const candidates = own ? [own] : handbookPathCandidates(sourceRef);
    if (candidates.length === 0)
      return {
        reason: `wgbot cannot tell where ${group.slug}'s page is in ${project}: set it with 'wgbot writeback ${group.slug} --path content/…/page.md'`,
      };
    for (const path of candidates.slice(0, 3)) {
      const file = await repo.getFile(project, path, ref);
      if (file) return file;
    }
    return { reason: `no ${candidates.join(' or ')} on ${ref} of ${project}` };
  }

  #plan(group: WorkingGroup, project: string, page: RepositoryFile): { plan: WritebackPlan; text: string } {
    const wanted = located(this.store, group.id).filter(
      (p) => p.progress.percent !== null && p.progress.source !== 'handbook',
    );
    const { placed, notOnPage } = placeOnPage(wanted, page.text);
    const byLine = new Map(placed.map((p) => [p.line, p.pair]));
    const result = rewriteMarkers(
      page.text,
      placed.map((p) => ({ line: p.line, percent: p.pair.progress.percent! })),
    );
    const synced = this.store.syncState.get(group.id).lastSuccessAt;
    const links = new Map(
      this.store.sources
        .listByWg(group.id)
        .filter((s) => s.criterionId !== null)
        .map((s) => [s.criterionId!, { url: s.webUrl ?? s.url, syncedAt: s.lastOkAt }]),
    );
    const changes = result.edits.map((edit) => {
      const pair = byLine.get(edit.line)!;
      return {
        ...edit,
        criterion: pair.node.title,
        source: pair.progress.source!,
        origin: figureSource(pair, links.get(pair.node.id!) ?? null, synced, this.now()),
      };
    });
    // A table row whose figure cell cannot be told is named with the unmarked ones: left alone, not guessed.
    const unmarked = [...result.withoutMarker, ...result.ambiguous].map(
      (line) => byLine.get(line)!.node.title,
    );
    return {
      plan: {
        project,
        filePath: page.filePath,
        branch: writebackBranch(group.slug),
        changes,
        unmarked,
        notOnPage,
      },
      text: result.text,
    };
  }
}

/**
 * Each criterion's line on the page as it is in the project: the line it was imported from when the same
 * criterion still starts there, else the one line that has its title; a criterion found on no line, or on
 * several, is left alone rather than guessed (the page changed since it was imported).
 */
function placeOnPage(
  wanted: Located[],
  raw: string,
): { placed: { pair: Located; line: number }[]; notOnPage: string[] } {
  const lines = criterionLinesByTitle(raw) ?? new Map<string, number[]>();
  const placed: { pair: Located; line: number }[] = [];
  const notOnPage: string[] = [];
  const taken = new Set<number>();
  for (const pair of wanted) {
    const candidates = lines.get(pair.node.title) ?? [];
    const line = candidates.includes(pair.node.sourceLine ?? -1)
      ? pair.node.sourceLine!
      : candidates.length === 1
        ? candidates[0]!
        : null;
    if (line === null || taken.has(line)) notOnPage.push(pair.node.title);
    else {
      taken.add(line);
      placed.push({ pair, line });
    }
  }
  return { placed, notOnPage };
}

/** Where wgbot's figure for a criterion comes from, and how old it is, in words. */
function figureSource(
  pair: Located,
  link: { url: string; syncedAt: string | null } | null,
  groupSyncedAt: string | null,
  now: Date,
): string {
  const age = (at: string | null) => (at ? `, synced ${formatAge(at, now)}` : ', not synced yet');
  switch (pair.progress.source) {
    case 'gitlab':
      return link ? `GitLab ${link.url}${age(link.syncedAt)}` : `GitLab${age(groupSyncedAt)}`;
    case 'rollup':
      return `the mean of its sub-items${age(groupSyncedAt)}`;
    case 'manual':
      return 'set by hand in wgbot';
    default:
      return 'the page';
  }
}

/** The merge request's description: what changes, from what to what, on whose figures. Exact markdown. */
export function mrDescription(group: WorkingGroup, plan: WritebackPlan): string {
  const rows = plan.changes.map((c) => {
    const change =
      c.kind === 'tick' ? `\`${c.from}\` → \`${c.to}\`` : `${c.from} % → ${markerNumber(Number(c.to))} %`;
    return `| ${cell(c.criterion)} | ${c.line} | ${change} | ${cell(c.origin)} |`;
  });
  const unmarked =
    plan.unmarked.length > 0
      ? [
          '',
          `Left alone (the page has no \`=> NN%\` marker for them): ${plan.unmarked.map(cell).join('; ')}.`,
        ]
      : [];
  const moved =
    plan.notOnPage.length > 0
      ? [
          '',
          `Left alone (not where the page was imported from; import the page again): ${plan.notOnPage.map(cell).join('; ')}.`,
        ]
      : [];
  return [
    `wgbot sets the completion markers of **${cell(group.name)}** (\`${plan.filePath}\`) to the figures it shows.`,
    'Only the markers and ticks below change; every other byte of the page stays as it is.',
    '',
    '| Criterion | Line | Change | Figure from |',
    '| --- | --- | --- | --- |',
    ...rows,
    ...unmarked,
    ...moved,
    '',
    `This merge request is updated (not duplicated) each time \`wgbot writeback ${group.slug}\` runs while it is open.`,
  ].join('\n');
}

/** Text safe inside a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}
