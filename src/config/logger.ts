/** One pino logger for the process; components take child loggers from it. */
import pino, { type Logger } from 'pino';

/** Creates the root logger; logs go to stderr so that stdout stays the command's output. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'hybridops' } }, pino.destination(2));
}

export type { Logger };
