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
