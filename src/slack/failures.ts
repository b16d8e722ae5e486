import { DeliveryError } from '../services/ports.js';

/** Slack's answers that mean a DM can never reach that user. */
const UNREACHABLE = new Set(['account_inactive', 'user_not_found', 'cannot_dm_bot']);

/** A Web API failure as the services see it: Slack's error code (`data.error`), else the message. */
export function slackFailure(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
  return new DeliveryError(reason, UNREACHABLE.has(reason));
}
