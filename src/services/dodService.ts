import {
  type DodRules,
  type DodVerdict,
  dodVerdict,
  type MergedMr,
  type StoryEvidence,
} from '../domain/dod.js';
import type { WorkingGroup } from '../domain/types.js';
import type { TeamHealthGitlab } from '../gitlab/teamHealth.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { StoredActionItem } from '../store/repositories/actionItems.js';
import { DodRulesRepository } from '../store/repositories/dodRules.js';
import type { Store } from '../store/store.js';

/** The most stories one check looks at, and merged MRs per story: each costs GitLab requests. */
export const MAX_STORIES = 50;
const MAX_MRS_PER_STORY = 5;
/** How long one check may take; stories past it are "not checked", not failures. */
const BUDGET_MS = 20_000;
const WEEK_MS = 7 * 86_400_000;

export interface StoryCheck {
  /** The stored item's id: the reader's unreadable set names items by it. */
  id: number;
  confidential: boolean;
  iid: number;
  project: string;
  title: string;
  url: string | null;
  closedAt: string;
  result: DodVerdict;
}

export interface DodReport {
  group: { slug: string; name: string };
  since: string;
  rules: DodRules;
  stories: StoryCheck[];
  /** Closed stories left unchecked: past the cap or the time budget. */
  unchecked: number;
  /** Why the check stopped early, if it did. */
  stopped: 'cap' | 'time' | null;
}

export type DodOutcome = { kind: 'checked'; report: DodReport } | { kind: 'no-gitlab' };

/**
 * The Definition-of-Done check: for each story closed since the last digest (or a given date), the merge
 * requests that closed it and their last pipelines — was one merged, was its last pipeline green, did it
 * carry a test report with tests? Bounded by a story cap and a time budget; a story GitLab will not tell
 * about is "unknown", never a failure.
 */
export class DodService {
  readonly rules: DodRulesRepository;

  constructor(
    private readonly store: Store,
    private readonly gitlab: TeamHealthGitlab | null,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
    /** Real elapsed time for the budget (the injected clock may stand still in tests). */
    private readonly elapsed: () => number = () => performance.now(),
  ) {
    this.rules = new DodRulesRepository(store.db);
  }

  setRules(group: WorkingGroup, rules: DodRules): void {
    this.store.transaction(() => this.rules.set(group.id, rules, this.now()));
  }

  /** Since the group's last posted digest, else a week back. */
  defaultSince(group: WorkingGroup): Date {
    const posted = this.store.digests.lastPosted(group.id)?.postedAt;
    return posted ? new Date(posted) : new Date(this.now().getTime() - WEEK_MS);
  }

  async check(group: WorkingGroup, since: Date = this.defaultSince(group)): Promise<DodOutcome> {
    if (!this.gitlab) return { kind: 'no-gitlab' };
    const rules = this.rules.of(group.id);
    const closed = this.#closedStories(group, since);
    const started = this.elapsed();
    const stories: StoryCheck[] = [];
    let stopped: DodReport['stopped'] = closed.length > MAX_STORIES ? 'cap' : null;
    for (const story of closed.slice(0, MAX_STORIES)) {
      if (this.elapsed() - started > BUDGET_MS) {
        stopped = 'time';
        break;
      }
      const evidence = await this.#evidence(story.gitlabPath!, story.gitlabIid!);
      stories.push({
        id: story.id,
        confidential: story.confidential,
        iid: story.gitlabIid!,
        project: story.gitlabPath!,
        title: story.title,
        url: story.url,
        closedAt: story.closedAt!,
        result: dodVerdict(evidence, story.labels, rules),
      });
    }
    const report = {
      group: { slug: group.slug, name: group.name },
      since: since.toISOString(),
      rules,
      stories,
      unchecked: closed.length - stories.length,
      stopped,
    };
    return { kind: 'checked', report };
  }

  /** GitLab issues of the group closed since `since`, oldest first. */
  #closedStories(group: WorkingGroup, since: Date): StoredActionItem[] {
    return this.store.items
      .listByWg(group.id)
      .filter(
        (i) =>
          i.source === 'gitlab_issue' &&
          i.state === 'done' &&
          !i.removedAt &&
          i.gitlabPath !== null &&
          i.gitlabIid !== null &&
          i.closedAt !== null &&
          new Date(i.closedAt) >= since,
      )
      .sort((a, b) => a.closedAt!.localeCompare(b.closedAt!));
  }

  /** The story's merged closing MRs with their last pipelines; unreadable when GitLab would not say. */
  async #evidence(project: string, iid: number): Promise<StoryEvidence> {
    try {
      const closing = await this.gitlab!.closedBy(project, iid);
      const merged: MergedMr[] = [];
      for (const mr of closing.filter((m) => m.state === 'merged').slice(0, MAX_MRS_PER_STORY)) {
        const [last] = await this.gitlab!.mrPipelines(mr.projectId, mr.iid);
        const tests = last?.status === 'success' ? await this.gitlab!.testCount(mr.projectId, last.id) : null;
        merged.push({ iid: mr.iid, webUrl: mr.webUrl, pipeline: last?.status ?? null, tests });
      }
      return { kind: 'read', merged };
    } catch (error) {
      const reason = (error as Error).message.slice(0, 200);
      this.logger.warn({ project, iid, err: reason }, 'DoD check: story unreadable');
      return { kind: 'unreadable', reason };
    }
  }
}

/** The digest's line: the stories closed without meeting the DoD; null when there is nothing to say. */
export function dodLine(report: DodReport): string | null {
  const failing = report.stories.filter((s) => s.result.verdict === 'fail');
  const unknown = report.stories.filter((s) => s.result.verdict === 'unknown').length;
  if (failing.length === 0 && unknown === 0 && report.unchecked === 0) return null;
  const what = report.rules.testsRequired
    ? 'closed without a green pipeline with tests'
    : report.rules.pipelineRequired
      ? 'closed without a green pipeline'
      : 'closed without a merged MR';
  const parts = [
    failing.length > 0 ? `${what}: ${failing.map((s) => `#${s.iid}`).join(', ')}` : `no story ${what}`,
    ...(unknown > 0 ? [`${unknown} unknown (GitLab did not say)`] : []),
    ...(report.unchecked > 0 ? [`${report.unchecked} not checked`] : []),
  ];
  return `Definition of Done (stories closed since ${report.since.slice(0, 10)}): ${parts.join('; ')}`;
}
