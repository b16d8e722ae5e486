import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';

export type Logger = PinoLogger;

/**
 * One structured JSON logger for the whole process (Bolt's logs go through it too). Secrets are redacted
 * by key wherever they appear, so a token passed along in an object never reaches the output; so are
 * request bodies and payloads (they hold titles of confidential items), at every level.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'wgbot' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'token',
          '*.token',
          'botToken',
          '*.botToken',
          'appToken',
          '*.appToken',
          'signingSecret',
          '*.signingSecret',
          'webhookSecret',
          '*.webhookSecret',
          'headers.authorization',
          'headers["private-token"]',
          'headers["x-gitlab-token"]',
          '*.headers.authorization',
          '*.headers["private-token"]',
          '*.headers["x-gitlab-token"]',
          'body',
          '*.body',
          'rawBody',
          '*.rawBody',
          'payload',
          '*.payload',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
