import { AsyncLocalStorage } from 'node:async_hooks';
import { GitlabAbortedError, GitlabLimitError } from './errors.js';

/**
 * What one piece of work (a group's sync) allows its GitLab requests: an abort signal and a deadline on the
 * injected clock. gitbeaker passes no options of ours through to the requester, so the scope travels with
 * the async context instead of as an argument.
 */
export interface RequestScope {
  signal?: AbortSignal;
  /**
   * Time left, in ms, on the clock of whoever set the budget (the sync service's injected clock): no
   * request starts and no wait continues past it. Asked each time, so the requester needs no clock of its
   * own to agree with.
   */
  remainingMs?: () => number;
  /** How the budget was set, for the message (e.g. 'SYNC_BUDGET_SECONDS (300 s)'). */
  budget?: string;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/** Runs `work` with its GitLab requests bound by `scope`. */
export function withRequestScope<T>(scope: RequestScope, work: () => Promise<T>): Promise<T> {
  return scopes.run(scope, work);
}

/** The bounds one request runs under: the process's stop, and its scope's abort signal and time left. */
export interface RequestBounds {
  signal: AbortSignal;
  /** Throws when the signal aborted or the time is up. */
  check: () => void;
  /** Waits `ms` unless that passes the deadline (refused at once) or the signal aborts (cut short). */
  wait: (ms: number) => Promise<void>;
  left: () => number;
  budgetError: () => GitlabLimitError;
}

/** The bounds of a request shown as `shown`, in the current scope, also ended by `stopping`. */
export function requestBounds(
  stopping: AbortSignal,
  sleep: (ms: number) => Promise<void>,
  shown: string,
): RequestBounds {
  const scope = scopes.getStore();
  const signal = scope?.signal ? AbortSignal.any([stopping, scope.signal]) : stopping;
  const budgetError = () =>
    new GitlabLimitError(
      'budget',
      shown,
      `stopped at ${shown}: the sync ran out of its time budget${scope?.budget ? `, ${scope.budget}` : ''}`,
    );
  const left = () => scope?.remainingMs?.() ?? Infinity;
  const check = () => {
    if (signal.aborted) throw new GitlabAbortedError(shown, String(signal.reason ?? 'aborted'));
    if (left() <= 0) throw budgetError();
  };
  const wait = async (ms: number) => {
    check();
    if (ms >= left()) throw budgetError();
    let onAbort = () => {};
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    await Promise.race([sleep(ms), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
    check();
  };
  return { signal, check, wait, left, budgetError };
}
