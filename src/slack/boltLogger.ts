import { type Logger as BoltLogger, LogLevel } from '@slack/logger';
import type { Logger } from '../logger.js';

/**
 * Where a payload starts in one of Bolt's or the Web API client's lines: they quote whole request and
 * response bodies — `JSON.stringify(body)` of every event at debug, `ack() response sent (body: …)`,
 * `http request body: …`, `http request result: …` — and those hold titles of confidential items.
 */
const PAYLOAD = /[{[]|\(body:|\b(?:body|result|headers|storedResponse|url|Error details)\s*:/i;

/** The words of a line before any payload it quotes, on one line, at most 200 characters. */
export function withoutPayload(line: string): string {
  const first = line.split('\n')[0]!;
  const at = first.search(PAYLOAD);
  const kept = (at < 0 ? first : first.slice(0, at)).trim().slice(0, 200);
  return at < 0 ? kept : `${kept} [payload not logged]`.trim();
}

/**
 * Bolt's and the Web API client's logs, through our one pino logger. Their messages can quote request
 * payloads, so at every level — debug and trace too — only the first message of a call is kept, cut
 * before anything that looks like a payload: request bodies never reach the log.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  let level: LogLevel = LogLevel.INFO;
  const summary = (args: unknown[]) => {
    const first = args.find((a) => typeof a === 'string' || a instanceof Error);
    return withoutPayload(first instanceof Error ? first.message : ((first as string | undefined) ?? ''));
  };
  return {
    debug: (...args: unknown[]) => child.debug(summary(args)),
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
