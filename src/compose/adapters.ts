import { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { createGitlabAccess, type GitlabAccess } from '../gitlab/access.js';
import { createGitlabClient, type GitlabClient } from '../gitlab/client.js';
import type { RequestPolicy } from '../gitlab/http.js';
import { createStoryWrites, type StoryWrites } from '../gitlab/storyWrites.js';
import { createRepositoryClient, type RepositoryClient } from '../gitlab/repository.js';
import type { Logger } from '../logger.js';
import type { DigestPoster, LadderMessenger, Messenger } from '../services/ports.js';
import type { ExitReportPoster } from '../services/exitReport.js';
import { createTeamHealthGitlab, type TeamHealthGitlab } from '../gitlab/teamHealth.js';
import type { AssessmentSender } from '../services/teamHealthPorts.js';
import { SlackAssessmentSender } from '../slack/assessmentSender.js';
import { boltLogger } from '../slack/boltLogger.js';
import { SlackDigestPoster } from '../slack/digestPoster.js';
import { SlackDirectory } from '../slack/directory.js';
import { SlackExitReportPoster } from '../slack/exitReportPoster.js';
import { SlackMessenger } from '../slack/messenger.js';
import { boundedClientOptions, digestWebClient } from '../slack/webClients.js';

/** The edge: GitLab's client, and Slack bound to the ports the services speak. */
export interface Adapters {
  /** Null without GITLAB_TOKEN: wgbot then answers from what it has stored and does not sync. */
  gitlab: GitlabClient | null;
  /** Who people are in GitLab and what they may do there (and GitLab sign-in); null without GITLAB_TOKEN. */
  gitlabPeople: GitlabAccess | null;
  /** The drift buttons' writes (new story, epic text); null without GITLAB_TOKEN. */
  storyWrites: StoryWrites | null;
  directory: SlackDirectory;
  /** The nudges' DMs and the escalation ladder's. */
  messenger: Messenger & LadderMessenger;
  digestPoster: DigestPoster;
  /** The closing summary to a group's channel, once (same no-retry client as digests). */
  exitReportPoster: ExitReportPoster;
  /** Files, commits and merge requests on HANDBOOK_PROJECT; null without GITLAB_TOKEN. */
  handbookRepo: RepositoryClient | null;
  /** Self-assessment DMs and summaries. */
  assessmentSender: AssessmentSender;
  /** Closing MRs, pipelines, test reports, backlog issues; null without GITLAB_TOKEN. */
  teamHealthGitlab: TeamHealthGitlab | null;
}

/** Test and benchmark overrides: fast retries and no real waits. */
export interface AdapterTuning {
  slackRetries?: number | undefined;
  gitlabPolicy?: Partial<RequestPolicy> | undefined;
  gitlabSleep?: ((ms: number) => Promise<void>) | undefined;
}

export function buildAdapters(
  config: Config,
  logger: Logger,
  now: () => Date,
  tuning: AdapterTuning,
): Adapters {
  const gitlab = config.gitlab.token
    ? createGitlabClient({
        url: config.gitlab.url,
        token: config.gitlab.token,
        api: config.gitlab.api,
        policy: { maxPages: config.gitlab.maxPages, ...tuning.gitlabPolicy },
        deps: {
          now,
          ...(tuning.gitlabSleep ? { sleep: tuning.gitlabSleep } : {}),
          log: (e) =>
            logger.debug(
              { gitlab: e.endpoint, status: e.status, attempt: e.attempt, ms: e.ms },
              'gitlab request',
            ),
        },
      })
    : null;
  if (!gitlab)
    logger.warn('GITLAB_TOKEN is not set: wgbot answers from what it has stored and does not sync');
  // A Web API client of wgbot's own (same token and URL as Bolt's): users.info and conversations.info are
  // reads any listener may need, before or outside Bolt's request context; nudges are DMs sent with it.
  const slackClient = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(logger),
    ...boundedClientOptions(tuning.slackRetries),
  });
  // Digests get a client that retries nothing by itself (a post that timed out may have landed).
  const digestClient = digestWebClient(config.slack.botToken, {
    apiUrl: config.slack.apiUrl,
    logger: boltLogger(logger),
  });
  const gitlabPeople = config.gitlab.token
    ? createGitlabAccess({
        url: config.gitlab.url,
        token: config.gitlab.token,
        oauth: config.gitlab.oauth,
        ...(tuning.gitlabPolicy ? { policy: tuning.gitlabPolicy } : {}),
        deps: { now, ...(tuning.gitlabSleep ? { sleep: tuning.gitlabSleep } : {}) },
      })
    : null;
  const storyWrites = config.gitlab.token
    ? createStoryWrites({
        url: config.gitlab.url,
        token: config.gitlab.token,
        ...(tuning.gitlabPolicy ? { policy: tuning.gitlabPolicy } : {}),
        deps: { now, ...(tuning.gitlabSleep ? { sleep: tuning.gitlabSleep } : {}) },
      })
    : null;
  return {
    gitlab,
    gitlabPeople,
    storyWrites,
    directory: new SlackDirectory(slackClient, now),
    messenger: new SlackMessenger(slackClient),
    digestPoster: new SlackDigestPoster(digestClient),
    exitReportPoster: new SlackExitReportPoster(digestClient),
    handbookRepo: config.gitlab.token
      ? createRepositoryClient({ url: config.gitlab.url, token: config.gitlab.token, deps: { now } })
      : null,
    assessmentSender: new SlackAssessmentSender(slackClient),
    teamHealthGitlab: config.gitlab.token
      ? createTeamHealthGitlab({
          url: config.gitlab.url,
          token: config.gitlab.token,
          ...(tuning.gitlabPolicy ? { policy: tuning.gitlabPolicy } : {}),
          deps: { now, ...(tuning.gitlabSleep ? { sleep: tuning.gitlabSleep } : {}) },
        })
      : null,
  };
}
