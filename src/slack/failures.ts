import { DeliveryError } from '../services/ports.js';

/** Slack's answers that mean a DM can never reach that user. */
const UNREACHABLE = new Set(['account_inactive', 'user_not_found', 'cannot_dm_bot']);

/**
 * Web API failures where Slack answered and processed nothing: an `ok: false` answer, a 429. A timeout, a
 * cut connection or a 5xx (`slack_webapi_request_error`, `slack_webapi_http_error`) may have landed.
 */
const REFUSED_CODES = new Set(['slack_webapi_platform_error', 'slack_webapi_rate_limited_error']);

/** A Web API failure as the services see it: Slack's error code (`data.error`), else the message. */
export function slackFailure(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
  const refused = REFUSED_CODES.has(String((error as { code?: unknown }).code));
  return new DeliveryError(reason, UNREACHABLE.has(reason), refused);
}
