/**
 * The agent's warnings and errors in the Windows Application event log, where an Exchange admin looks first.
 * Written with Windows' own eventcreate.exe (no native module to build for the server): one process per
 * line, one at a time, so only warnings and errors come here; everything is in the rotating file.
 */
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';

/** The event source the agent's events carry (eventcreate registers it on first use; that needs an admin). */
export const EVENT_SOURCE = 'hybridops relay agent';

/** Runs a program with arguments (never through a shell); rejects if it fails. */
export type RunProgram = (file: string, args: readonly string[]) => Promise<void>;

const runWithExecFile: RunProgram = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { windowsHide: true, timeout: 10_000 }, (error) =>
      error ? reject(error) : resolve(),
    );
  });

/** eventcreate's event type and id for a pino level (ids are 1–1000: 100 information, 200 warning, 300 error). */
function eventKind(level: number): { type: 'INFORMATION' | 'WARNING' | 'ERROR'; id: string } {
  if (level >= 50) return { type: 'ERROR', id: '300' };
  if (level >= 40) return { type: 'WARNING', id: '200' };
  return { type: 'INFORMATION', id: '100' };
}

/** eventcreate's arguments for one pino line: its message first, then the whole line on one line. */
export function eventCreateArguments(line: string, source = EVENT_SOURCE): string[] {
  let level = 30;
  let message = '';
  try {
    const record = JSON.parse(line) as { level?: number; msg?: string };
    level = typeof record.level === 'number' ? record.level : 30;
    message = record.msg ?? '';
  } catch {
    // Not JSON: the line itself is the message.
  }
  // pino's JSON escapes every control character, so the line is one line; kept within what a description holds.
  const flat = line.trim();
  const description = (message ? `${message} | ${flat}` : flat).slice(0, 2_000);
  const { type, id } = eventKind(level);
  return ['/L', 'APPLICATION', '/T', type, '/SO', source, '/ID', id, '/D', description];
}

/**
 * A stream for pino that writes each line to the event log. A failure (eventcreate missing, no right to
 * register the source) is reported once on `onFailure` and the stream stops trying; the file log goes on.
 */
export function windowsEventLogStream(
  options: { run?: RunProgram; source?: string; onFailure?: (error: unknown) => void } = {},
): Writable {
  const run = options.run ?? runWithExecFile;
  let failed = false;
  return new Writable({
    // One eventcreate at a time: write() is called again only after done().
    write(chunk: Buffer, _encoding, done) {
      if (failed) return done();
      const lines = String(chunk).split('\n').filter(Boolean);
      const next = async () => {
        for (const line of lines) await run('eventcreate', eventCreateArguments(line, options.source));
      };
      next().then(
        () => done(),
        (error: unknown) => {
          failed = true;
          options.onFailure?.(error);
          done();
        },
      );
    },
  });
}
