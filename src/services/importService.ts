import { mergeCriteria } from '../domain/criteriaMerge.js';
import type { Criterion, CriterionSection, WorkingGroup } from '../domain/types.js';
import { parseDocument } from '../import/document.js';
import { epicTaskSourceKey, type ParsedEpic } from '../import/epic.js';
import { ImportError, type ImportWarning } from '../import/errors.js';
import type { ParsedCriterion, ParsedWorkingGroup } from '../import/handbook.js';
import type { ItemInput } from '../store/repositories/actionItems.js';
import type { Store } from '../store/store.js';
import { withCriteriaHistory } from './criteriaHistory.js';
import { recordProgress } from './groupState.js';
import { checkSlug, nameFromSlug, normalizeChannel, titleFromFileName } from './importInputs.js';
import { lifecycleFromPage } from './lifecycle.js';

export { normalizeChannel, titleFromFileName } from './importInputs.js';

export interface ImportOptions {
  slug?: string | undefined;
  channel?: string | undefined;
  name?: string | undefined;
  /** Where the text came from (a path or URL), kept for the operator; its file name titles an untitled page. */
  sourceRef?: string | undefined;
}

/** How pages are read, from the configuration (FISCAL_YEAR_START_MONTH, HANDBOOK_URL). */
export interface PageReading {
  fiscalYearStartMonth: number;
  baseUrl: string | null;
}

export interface BatchDocument {
  file: string;
  /** Reads the document; a failure to read it refuses that file alone. */
  read: () => string;
}

/** One file of a batch import: imported cleanly, imported with warnings, or refused with the reason. */
export interface BatchOutcome {
  file: string;
  slug: string | null;
  status: 'imported' | 'warnings' | 'refused';
  warnings: ImportWarning[];
  error: string | null;
}

export interface ImportResult {
  kind: 'working-group' | 'epic';
  group: WorkingGroup;
  created: boolean;
  /** Exit criteria, sub-items included. */
  criteria: number;
  topLevelCriteria: number;
  roles: number;
  items: number;
  removedItems: number;
  warnings: ImportWarning[];
}

function toCriteria(parsed: ParsedCriterion[], section: CriterionSection): Criterion[] {
  return parsed.map((c) => ({
    id: null,
    section,
    title: c.title,
    url: c.url,
    gitlabPercent: null,
    handbookPercent: c.percent,
    manualPercent: null,
    weight: null,
    sourceLine: c.line,
    owner: c.owner,
    children: toCriteria(c.children, section),
  }));
}

function countCriteria(nodes: Criterion[]): number {
  return nodes.reduce((n, c) => n + 1 + countCriteria(c.children), 0);
}

/**
 * Imports a handbook page or an epic description into the store, in one transaction: re-importing the same
 * document updates the group in place (same ids, no duplicates), and a document that cannot be read
 * changes nothing.
 */
export class ImportService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    private readonly reading: PageReading = { fiscalYearStartMonth: 2, baseUrl: null },
  ) {}

  importText(text: string, options: ImportOptions = {}): ImportResult {
    const parsed = parseDocument(text, undefined, {
      fiscalYearStartMonth: this.reading.fiscalYearStartMonth,
      baseUrl: this.reading.baseUrl,
      today: this.now().toISOString().slice(0, 10),
      fallbackTitle: titleFromFileName(options.sourceRef),
    });
    if (options.slug !== undefined) checkSlug(options.slug);
    const channel = options.channel !== undefined ? normalizeChannel(options.channel) : null;
    return parsed.kind === 'working-group'
      ? this.#importPage(parsed.group, options, channel)
      : this.#importEpic(parsed.epic, options, channel);
  }

  /**
   * Imports many documents, each in its own transaction: a page that cannot be read is refused alone and
   * the others import. Two files giving the same slug in one batch are reported (the later one updates the
   * group the earlier one made). `onProgress` is told after each file; an aborted `signal` stops the batch
   * between files, and the outcomes say how far it got.
   */
  async importMany(
    documents: BatchDocument[],
    options: Omit<ImportOptions, 'sourceRef' | 'slug'> = {},
    control: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
  ): Promise<BatchOutcome[]> {
    const slugFrom = new Map<string, string>();
    const outcomes: BatchOutcome[] = [];
    for (const [i, doc] of documents.entries()) {
      // Between files, let signals in: a SIGTERM stops the batch after the page under way.
      await new Promise((resolve) => setImmediate(resolve));
      if (control.signal?.aborted) break;
      const outcome = this.#importOne(doc, options);
      if (outcome.slug) {
        const earlier = slugFrom.get(outcome.slug);
        if (earlier && earlier !== doc.file) {
          outcome.warnings.push({
            line: null,
            message: `${earlier} gave the same slug '${outcome.slug}'; this page updated that group`,
          });
          outcome.status = 'warnings';
        }
        slugFrom.set(outcome.slug, doc.file);
      }
      outcomes.push(outcome);
      control.onProgress?.(i + 1, documents.length);
    }
    return outcomes;
  }

  #importOne(doc: BatchDocument, options: Omit<ImportOptions, 'sourceRef' | 'slug'>): BatchOutcome {
    try {
      const result = this.importText(doc.read(), { ...options, sourceRef: doc.file });
      const warnings = [...result.warnings];
      return {
        file: doc.file,
        slug: result.group.slug,
        status: warnings.length > 0 ? 'warnings' : 'imported',
        warnings,
        error: null,
      };
    } catch (error) {
      // Any failure refuses this file alone: the batch goes on, and the summary says why.
      const reason =
        error instanceof ImportError ? error.message : `cannot import: ${(error as Error).message}`;
      return { file: doc.file, slug: null, status: 'refused', warnings: [], error: reason };
    }
  }

  #importPage(
    page: ParsedWorkingGroup,
    options: ImportOptions,
    channel: ReturnType<typeof normalizeChannel> | null,
  ): ImportResult {
    const slug = options.slug ?? page.slug;
    const now = this.now();
    return this.store.transaction(() => {
      const existing = this.store.groups.getBySlug(slug);
      const fromPage = page.channel ? normalizeChannel(page.channel) : null;
      const fields = {
        name: options.name ?? page.name,
        description: page.description,
        businessGoal: page.businessGoal,
        createdDate: page.createdDate,
        targetEndDate: page.targetEndDate,
        channel: channel?.channel ?? fromPage?.channel ?? existing?.channel ?? null,
        docUrl: page.docUrl,
        taskBoardUrl: page.taskBoardUrl,
        ...lifecycleFromPage(page, existing),
        sourceKind: 'handbook' as const,
        sourceRef: options.sourceRef ?? null,
        // A channel bound in Slack stays bound; an ID given here (or on the page) binds it.
        ...(channel?.slackChannelId || fromPage?.slackChannelId
          ? { slackChannelId: channel?.slackChannelId ?? fromPage?.slackChannelId ?? null }
          : {}),
      };
      const group = existing
        ? this.store.groups.update(existing.id, fields, now)
        : this.store.groups.insert(slug, fields, now);

      const { criteria, topLevelCriteria } = withCriteriaHistory(this.store, group.id, 'import', now, () =>
        this.#saveCriteria(group.id, page),
      );

      const seen = new Set<string>();
      const roles = page.roles.flatMap((r) => {
        const person = this.store.people.findOrCreate(r.name, now, r.gitlabUsername);
        const key = `${person.id}\u0000${r.role}`;
        if (seen.has(key)) return [];
        seen.add(key);
        return [
          { personId: person.id, role: r.role, kind: r.kind, title: r.title, source: 'handbook' as const },
        ];
      });
      this.store.roles.replace(group.id, 'handbook', roles);
      this.store.followUps.replace(group.id, page.followUps);
      recordProgress(this.store, group, now);
      return {
        kind: 'working-group' as const,
        group,
        created: !existing,
        criteria,
        topLevelCriteria,
        roles: roles.length,
        items: 0,
        removedItems: 0,
        warnings: page.warnings,
      };
    });
  }

  /**
   * The page's criteria laid over the stored ones. Criteria made from an objective's key results belong
   * to the sync: the page neither matches nor removes them, and they stay after the page's own.
   */
  #saveCriteria(wgId: number, page: ParsedWorkingGroup): { criteria: number; topLevelCriteria: number } {
    let counts = { criteria: 0, topLevelCriteria: 0 };
    for (const [section, parsedCriteria] of [
      ['exit', page.exitCriteria],
      ['entry', page.entryCriteria],
    ] as const) {
      const stored = this.store.criteria.of(wgId, section);
      const merged = mergeCriteria(
        stored.filter((c) => !c.okrKey),
        toCriteria(parsedCriteria, section),
      );
      this.store.criteria.save(wgId, section, [...merged, ...stored.filter((c) => c.okrKey)]);
      if (section === 'exit') counts = { criteria: countCriteria(merged), topLevelCriteria: merged.length };
    }
    return counts;
  }

  /** Finds the live item a linked epic of the group holds for a task line key, if any. */
  #syncedLines(wgId: number): (lineKey: string) => number | null {
    const epics = this.store.sources
      .listByWg(wgId)
      .filter((s) => s.ref.kind === 'epic' && s.criterionId === null);
    return (lineKey) => {
      for (const source of epics) {
        const item = this.store.items.getByKey(wgId, 'epic_task', epicTaskSourceKey(lineKey, source.id));
        if (item && !item.removedAt) return item.id;
      }
      return null;
    };
  }

  #importEpic(
    epic: ParsedEpic,
    options: ImportOptions,
    channel: ReturnType<typeof normalizeChannel> | null,
  ): ImportResult {
    if (options.slug === undefined) {
      throw new ImportError(
        "this is an epic description, which does not name its working group: pass --slug (e.g. '--slug devops-cicd')",
      );
    }
    const slug = options.slug;
    const now = this.now();
    return this.store.transaction(() => {
      const existing = this.store.groups.getBySlug(slug);
      const channelFields = channel
        ? {
            channel: channel.channel,
            ...(channel.slackChannelId ? { slackChannelId: channel.slackChannelId } : {}),
          }
        : {};
      const group = existing
        ? this.store.groups.update(
            existing.id,
            { ...(options.name ? { name: options.name } : {}), ...channelFields },
            now,
          )
        : this.store.groups.insert(
            slug,
            {
              name: options.name ?? epic.title ?? nameFromSlug(slug),
              sourceKind: 'epic',
              sourceRef: options.sourceRef ?? null,
              ...channelFields,
            },
            now,
          );
      const { kept, removed } = this.#saveEpicItems(group, epic, now);
      recordProgress(this.store, group, now);
      return {
        kind: 'epic' as const,
        group,
        created: !existing,
        criteria: countCriteria(this.store.criteria.of(group.id)),
        topLevelCriteria: this.store.criteria.of(group.id).length,
        roles: this.store.roles.of(group.id).length,
        items: kept,
        removedItems: removed,
        warnings: epic.warnings,
      };
    });
  }

  /** The epic's task lines as the group's `epic_task` items; those no longer on it are marked removed. */
  #saveEpicItems(group: WorkingGroup, epic: ParsedEpic, now: Date): { kept: number; removed: number } {
    const keep = new Set<number>();
    const syncedLine = this.#syncedLines(group.id);
    epic.items.forEach((parsed, position) => {
      // A line the group's linked epic already holds is that sync's item: GitLab's copy is kept, not doubled.
      const synced = syncedLine(parsed.key);
      if (synced !== null) {
        keep.add(synced);
        return;
      }
      const ownerPersonIds = parsed.owners.map((owner) =>
        owner.startsWith('@')
          ? this.store.people.findOrCreate(owner.slice(1), now, owner.slice(1)).id
          : this.store.people.findOrCreate(owner, now).id,
      );
      const input = epicItemInput(parsed, position, ownerPersonIds);
      const previous = this.store.items.getByKey(group.id, 'epic_task', input.sourceKey);
      if (previous && previous.state === input.state) input.closedAt = previous.closedAt;
      else if (input.state === 'done') input.closedAt = now.toISOString();
      keep.add(this.store.items.upsert(group.id, input, now));
    });
    const gone = this.store.items
      .listByWg(group.id)
      .filter(
        (item) => item.source === 'epic_task' && item.sourceKey.startsWith('doc:') && !keep.has(item.id),
      )
      .map((item) => item.id);
    this.store.items.markRemoved(gone, now);
    return { kept: keep.size, removed: gone.length };
  }
}

/** A task line of an epic's description as an item (its closing time is the caller's to carry over). */
function epicItemInput(
  parsed: ParsedEpic['items'][number],
  position: number,
  ownerPersonIds: number[],
): ItemInput {
  return {
    source: 'epic_task',
    sourceKey: epicTaskSourceKey(parsed.key, null),
    title: parsed.title,
    notes: parsed.notes,
    state: parsed.done ? 'done' : 'open',
    sprint:
      parsed.sprintNumber === null
        ? null
        : { number: parsed.sprintNumber, title: `Sprint ${parsed.sprintNumber}`, source: 'text' },
    owners: parsed.owners.map((o) => o.replace(/^@/, '')),
    ownerPersonIds,
    dueDate: parsed.dueDate,
    url: parsed.url,
    storyRef: parsed.storyRef,
    confidential: false,
    weight: null,
    labels: [],
    externalId: null,
    externalUpdatedAt: null,
    closedAt: null,
    position,
    sourceLine: parsed.line,
  };
}
