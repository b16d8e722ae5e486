import { WebClient, type WebClientOptions } from '@slack/web-api';

/**
 * The Web API client digests are posted with: it gives up within minutes (30 s a call, 5 retries, ~4 min
 * in all), well inside DigestService's 10-minute claim. Slack's default policy retries for about 30
 * minutes — long enough for the claim to lapse and another run to post the same digest again.
 */
export function digestWebClient(
  token: string | undefined,
  options: { apiUrl?: string; logger?: WebClientOptions['logger']; retries?: number } = {},
): WebClient {
  return new WebClient(token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    timeout: 30_000,
    retryConfig: { retries: options.retries ?? 5, factor: 2, minTimeout: 1_000, maxTimeout: 20_000 },
  });
}
