import { areaNotes, gapAreas, summarizeRound } from '../domain/assessment.js';
import type { WorkingGroup } from '../domain/types.js';
import { GitlabHttpError } from '../gitlab/errors.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { AssessmentRepository, StoredRound } from '../store/repositories/assessments.js';
import type { Store } from '../store/store.js';
import type { TeamHealthGitlab } from './teamHealthPorts.js';

export type BacklogOutcome =
  | { kind: 'filed'; issues: { area: string; webUrl: string; linked: boolean }[]; already: string[] }
  | { kind: 'no-gaps' }
  | { kind: 'too-few' }
  | { kind: 'no-round' }
  | { kind: 'no-project' }
  | { kind: 'no-gitlab' }
  | { kind: 'needs-api-scope' }
  | { kind: 'failed'; reason: string };

/** The token may read but not write: GitLab answers 401/403 to a write with a `read_api` token. */
const refusedWrite = (error: unknown) =>
  error instanceof GitlabHttpError && (error.status === 401 || error.status === 403);

/**
 * "Create backlog issues" under a round's summary: one GitLab issue per gap area (scored below the
 * questionnaire's threshold), quoting the notes given there (never who gave them), labelled, and added to
 * the group's epic. Filed once per round and area: a second click files only what is missing.
 */
export class AssessmentBacklog {
  constructor(
    private readonly store: Store,
    private readonly rounds: AssessmentRepository,
    private readonly gitlab: TeamHealthGitlab | null,
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
  ) {}

  async file(group: WorkingGroup, roundId: number): Promise<BacklogOutcome> {
    const round = this.rounds.get(roundId);
    if (!round || round.wgId !== group.id || !round.closedAt) return { kind: 'no-round' };
    if (!this.gitlab) return { kind: 'no-gitlab' };
    const answers = this.rounds.answers(round.id).map((a) => a.answers);
    const summary = summarizeRound(round.questionnaire, answers, null);
    if (summary.kind === 'too-few') return { kind: 'too-few' };
    const gaps = gapAreas(summary, round.questionnaire.backlog.threshold);
    if (gaps.length === 0) return { kind: 'no-gaps' };
    const project = this.targetProject(round, group);
    if (!project) return { kind: 'no-project' };
    const epic = this.store.sources.listByWg(group.id).find((s) => s.ref.kind === 'epic')?.ref ?? null;
    const filed = this.rounds.issues(round.id);
    const issues: { area: string; webUrl: string; linked: boolean }[] = [];
    for (const gap of gaps) {
      if (filed.has(gap.id)) continue;
      const area = round.questionnaire.areas.find((a) => a.id === gap.id)!;
      try {
        const created = await this.gitlab.createIssue(project, {
          title: `${area.title}: close the gap found by the ${round.questionnaire.name.slice(0, 80)}`,
          description: issueText(
            gap.title,
            gap.score!,
            round.questionnaire.backlog.threshold,
            areaNotes(area, answers),
          ),
          labels: [round.questionnaire.backlog.label],
        });
        this.store.transaction(() => this.rounds.recordIssue(round.id, gap.id, created.webUrl, this.now()));
        const linked =
          epic?.kind === 'epic'
            ? await this.gitlab.addIssueToEpic(epic.path, epic.iid, created.id).then(
                () => true,
                (error: unknown) => {
                  this.logger.warn({ err: (error as Error).message }, 'backlog issue not added to the epic');
                  return false;
                },
              )
            : false;
        issues.push({ area: gap.title, webUrl: created.webUrl, linked });
      } catch (error) {
        if (refusedWrite(error)) return { kind: 'needs-api-scope' };
        return { kind: 'failed', reason: (error as Error).message.slice(0, 200) };
      }
    }
    return { kind: 'filed', issues, already: gaps.filter((g) => filed.has(g.id)).map((g) => g.title) };
  }

  /** Where the round's backlog issues go: the questionnaire's project, else the group's stories' one. */
  targetProject(round: StoredRound, group: WorkingGroup): string | null {
    return round.questionnaire.backlog.project ?? this.#storyProject(group);
  }

  /** The project of the group's GitLab stories: where its backlog lives. */
  #storyProject(group: WorkingGroup): string | null {
    const story = this.store.items
      .listByWg(group.id)
      .find((i) => i.source === 'gitlab_issue' && i.gitlabPath);
    return story?.gitlabPath ?? null;
  }
}

/** The issue's description: the area's score against the threshold, and the notes as a list. */
function issueText(area: string, score: number, threshold: number, notes: string[]): string {
  const lines = [
    `The team's self-assessment scored **${area}** at ${score.toFixed(1)} of 5 (below ${threshold}).`,
    '',
    notes.length > 0 ? 'Notes from the assessment (anonymous):' : 'No notes were given for this area.',
    ...notes.slice(0, 50).map((n) => `- ${n.replace(/\s+/g, ' ').slice(0, 500)}`),
    '',
    'Filed by wgbot from the round summary, to be discussed and prioritised in backlog grooming.',
  ];
  return lines.join('\n');
}
