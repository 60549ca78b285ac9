import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * JSON logs in production, readable ones in development. Message text and phone numbers are never
 * logged at info level; the redact paths catch them if a payload slips into a log call.
 */
export function createLogger(options: { level: string; pretty: boolean }): Logger {
  return pino({
    level: options.level,
    redact: {
      paths: ['text', '*.text', 'phone', '*.phone', 'payload', '*.payload', 'token', '*.token'],
      censor: '[redacted]',
    },
    transport: options.pretty
      ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } }
      : undefined,
  });
}
