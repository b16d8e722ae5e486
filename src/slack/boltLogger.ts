import { type Logger as BoltLogger, LogLevel } from '@slack/logger';
import type { Logger } from '../logger.js';

/**
 * Bolt's and the Web API client's logs, through our one pino logger. Their messages can quote request
 * payloads, so at info level and above only the first string argument is kept — never message contents.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  const text = (args: unknown[]) =>
    args
      .map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : ''))
      .join(' ')
      .trim();
  const summary = (args: unknown[]) => {
    const first = args.find((a) => typeof a === 'string' || a instanceof Error);
    const line = first instanceof Error ? first.message : ((first as string | undefined) ?? '');
    return line.split('\n')[0]!.slice(0, 200);
  };
  return {
    debug: (...args: unknown[]) => child.debug(text(args)),
    info: (...args: unknown[]) => child.info(summary(args)),
    warn: (...args: unknown[]) => child.warn(summary(args)),
    error: (...args: unknown[]) => child.error(summary(args)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
