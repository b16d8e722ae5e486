import type { WorkingGroup } from '../domain/types.js';
import type { AssessmentBacklog } from './assessmentBacklog.js';
import type { AssessmentService } from './assessmentService.js';
import { createTeamHealthGitlab } from '../gitlab/teamHealth.js';
import type { Store } from '../store/store.js';
import { dodLine, DodService } from './dodService.js';
import { usageLine, UsageService } from './usageService.js';

/** The team's own health (#17), as the Slack listeners, the CLI and the digest use it. */
export interface TeamHealth {
  assessments: AssessmentService;
  backlog: AssessmentBacklog;
  dod: DodService;
  usage: UsageService;
  /** Ends the GitLab requests under way (a DoD check, backlog issues): wgbot is stopping. */
  abort(reason: string): void;
}

/**
 * The digest's team-health lines: usage and traffic from the group's source (when it has one) and the DoD
 * check since the last digest (for groups that chose their DoD rules); null when there is nothing to say. Never throws: a digest goes out without them rather than not at all.
 */
export async function teamHealthLines(
  health: Pick<TeamHealth, 'usage' | 'dod'>,
  group: WorkingGroup,
  escape: (text: string) => string,
  keepUsage = true,
): Promise<string | null> {
  const [usage, dod] = await Promise.all([
    health.usage.read(group, keepUsage).then(
      (reading) => usageLine(reading, { escape, detailed: false }),
      () => null,
    ),
    health.dod.rules.chosen(group.id)
      ? health.dod.check(group).then(
          (checked) => (checked.kind === 'checked' ? dodLine(checked.report) : null),
          () => null,
        )
      : null,
  ]);
  return [usage, dod].filter(Boolean).join('\n') || null;
}

/**
 * The same lines for the CLI's `wgbot digest`: its own GitLab requester and fetch, and no usage reading
 * kept (a dry run changes nothing; the trend comes from what the server keeps).
 */
export function teamHealthLinesFor(
  store: Store,
  gitlab: { url: string; token: string } | null,
  now: () => Date,
  usage: { allowedHosts: readonly string[] | null; escape: (text: string) => string },
): (group: WorkingGroup) => Promise<string | null> {
  const health = {
    dod: new DodService(store, gitlab ? createTeamHealthGitlab({ ...gitlab, deps: { now } }) : null, now),
    usage: new UsageService(store, fetch, now, undefined, { allowedHosts: usage.allowedHosts }),
  };
  return (group) => teamHealthLines(health, group, usage.escape, false);
}
