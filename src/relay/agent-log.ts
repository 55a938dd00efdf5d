/**
 * The agent's log: every event as a pino line to stderr and to a rotating file (pino-roll: daily or at
 * 10 MB, 14 files kept), and its warnings and errors to the Windows Application event log on Windows.
 */
import pino, { type DestinationStream, type Logger, type StreamEntry } from 'pino';
import pinoRoll from 'pino-roll';
import { createLogger } from '../config/logger';
import { errorMessage } from '../core/errors';
import type { AgentEvent } from './agent-client';
import { EVENT_SOURCE, type RunProgram, windowsEventLogStream } from './windows-event-log';

export interface AgentLogOptions {
  readonly agentId: string;
  /** The rotating log file (pino-roll numbers it: `ex01.1.log`, …); null for none. */
  readonly logFile: string | null;
  /** Where the event log part runs: only on win32. Defaults to this process's platform. */
  readonly platform?: NodeJS.Platform;
  /** Runs eventcreate.exe; tests pass a recorder. */
  readonly runProgram?: RunProgram;
  readonly stderr?: DestinationStream;
}

export interface AgentLog {
  readonly logger: Logger;
  /** Logs one of the agent's events at its level. */
  event(event: AgentEvent): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/** The level an event is logged at: what an admin should look at is a warning or an error. */
export function eventLevel(event: AgentEvent): 'info' | 'warn' | 'error' {
  switch (event.type) {
    case 'refused-by-hub':
      return 'error';
    case 'disconnected':
    case 'job-refused':
      return 'warn';
    case 'result-sent':
      return event.status === 'succeeded' ? 'info' : 'warn';
    default:
      return 'info';
  }
}

/** Opens the agent's log: stderr, the rotating file and (on Windows) the event log. */
export async function openAgentLog(options: AgentLogOptions): Promise<AgentLog> {
  const platform = options.platform ?? process.platform;
  const streams: StreamEntry[] = [{ level: 'info', stream: options.stderr ?? pino.destination(2) }];
  const file = options.logFile
    ? await pinoRoll({
        file: options.logFile,
        frequency: 'daily',
        size: '10m',
        mkdir: true,
        limit: { count: 14 },
      })
    : null;
  if (file) streams.push({ level: 'info', stream: file });
  let eventLogFailure: unknown = null;
  if (platform === 'win32') {
    const stream = windowsEventLogStream({
      source: EVENT_SOURCE,
      ...(options.runProgram ? { run: options.runProgram } : {}),
      onFailure: (error) => {
        eventLogFailure = error;
      },
    });
    streams.push({ level: 'warn', stream: stream as DestinationStream });
  }
  const logger = createLogger('info', pino.multistream(streams)).child({ agentId: options.agentId });
  if (platform === 'win32') {
    logger.info(`Windows event log: warnings and errors also go to the Application log as "${EVENT_SOURCE}"`);
  } else {
    logger.info(`Windows event log: skipped on ${platform}; this log and its file are the agent's record`);
  }
  return {
    logger,
    event(event) {
      if (eventLogFailure) {
        logger.warn(
          `Windows event log: cannot write (${errorMessage(eventLogFailure)}); the file log goes on`,
        );
        eventLogFailure = null;
      }
      logger[eventLevel(event)]({ event }, `agent ${event.type}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!file) return resolve();
        file.once('close', () => resolve());
        file.end();
      }),
  };
}
