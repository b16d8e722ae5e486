// What a GitLab request can end in besides an answer: each says whether retrying could help.
/** A GitLab answer that retrying will not change (403, 404, 422 …). */
export class GitlabHttpError extends Error {
  override name = 'GitlabHttpError';

  constructor(
    readonly status: number,
    readonly endpoint: string,
    readonly description: string,
  ) {
    super(`GitLab answered ${status} for ${endpoint}${description ? `: ${description}` : ''}`);
  }
}

/** GitLab stayed unreachable, overloaded or rate-limited through every retry. */
export class GitlabUnavailableError extends Error {
  override name = 'GitlabUnavailableError';

  constructor(
    readonly endpoint: string,
    readonly lastProblem: string,
    readonly attempts: number,
  ) {
    super(`GitLab did not answer ${endpoint} after ${attempts} attempts (last: ${lastProblem})`);
  }
}

/**
 * A request refused because of a bound wgbot sets itself: the pages of one listing, the size of an answer or
 * the time budget of a sync. Retrying does not help; the message names the bound and its setting.
 */
export class GitlabLimitError extends Error {
  override name = 'GitlabLimitError';

  constructor(
    readonly limit: 'pages' | 'size' | 'budget',
    readonly endpoint: string,
    message: string,
  ) {
    super(message);
  }
}

/** Requests stopped on purpose (wgbot is stopping); nothing about GitLab is wrong. */
export class GitlabAbortedError extends Error {
  override name = 'GitlabAbortedError';

  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`GitLab request ${endpoint} stopped: ${reason}`);
  }
}

/** Why a source answered 403, 404 or 410 (gitlab/sources.ts). */
export const NO_PREMIUM = 'epics and iterations need GitLab Premium, or the token lacks access';
export const GONE = 'it does not exist, was removed, or the token cannot see it';
/** A REST epic's 404/410: since GitLab 17.0 the REST epics API itself may be what is gone. */
export const REST_EPICS_GONE =
  "GitLab's REST epics API may be unavailable here (deprecated since GitLab 17.0), or the token cannot see the epic; GITLAB_API=graphql reads epics as work items.";
