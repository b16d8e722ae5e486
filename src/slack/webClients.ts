import { WebClient, type WebClientOptions } from '@slack/web-api';

/**
 * For Bolt's client and the shared one: 10 s a call, at most 3 retries (under a minute at worst) instead
 * of Slack's default half hour — a listener's reply is useless minutes later, auth.test at start must fail
 * while the operator watches, and a nudge run must not outlast a shutdown.
 */
export function boundedClientOptions(retries = 3): Pick<WebClientOptions, 'timeout' | 'retryConfig'> {
  return { timeout: 10_000, retryConfig: { retries, factor: 2, minTimeout: 1_000, maxTimeout: 5_000 } };
}

/**
 * The Web API client digests are posted with. It retries nothing by itself: a `chat.postMessage` that
 * timed out or met a 5xx may still have landed, and a blind retry would post the digest twice.
 * DigestService waits out 429s itself (Slack did not process those) and leaves every other failure to
 * its next run, which first looks for the digest's marker in the channel. Calls time out after 30 s, well
 * inside DigestService's 10-minute claim.
 */
export function digestWebClient(
  token: string | undefined,
  options: { apiUrl?: string; logger?: WebClientOptions['logger'] } = {},
): WebClient {
  return new WebClient(token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    timeout: 30_000,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}
