/** The agent's log: its events at their levels, the rotating file, and Windows' Application event log. */
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { eventLevel, openAgentLog } from '../../src/relay/agent-log';
import { EVENT_SOURCE, eventCreateArguments } from '../../src/relay/windows-event-log';
import { tempDir } from '../support/lab-org';

const quiet = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

describe('the agent log', () => {
  it('logs what needs an admin as warnings and errors', () => {
    expect(eventLevel({ type: 'connected' })).toBe('info');
    expect(eventLevel({ type: 'disconnected', code: 1006 })).toBe('warn');
    expect(eventLevel({ type: 'refused-by-hub', status: 401 })).toBe('error');
    expect(eventLevel({ type: 'result-sent', jobId: 'j', status: 'succeeded' })).toBe('info');
    expect(eventLevel({ type: 'result-sent', jobId: 'j', status: 'timedOut' })).toBe('warn');
  });

  it('on Windows, writes warnings and errors to the Application log with eventcreate, and only those', async () => {
    const { dir, cleanup } = tempDir();
    const calls: { file: string; args: readonly string[] }[] = [];
    try {
      const log = await openAgentLog({
        agentId: 'ex01',
        logFile: `${dir}/ex01.log`,
        platform: 'win32',
        stderr: quiet(),
        runProgram: async (file, args) => {
          calls.push({ file, args });
        },
      });
      log.event({ type: 'connected' });
      log.event({ type: 'refused-by-hub', status: 401 });
      await log.close();
      await new Promise((resolve) => setImmediate(resolve));
      expect(calls).toHaveLength(1);
      expect(calls[0]?.file).toBe('eventcreate');
      expect(calls[0]?.args.slice(0, 8)).toEqual([
        '/L',
        'APPLICATION',
        '/T',
        'ERROR',
        '/SO',
        EVENT_SOURCE,
        '/ID',
        '300',
      ]);
      expect(calls[0]?.args[9]).toMatch(/^agent refused-by-hub \| \{.*"status":401/);
      const file = fs.readdirSync(dir).find((name) => name.endsWith('.log')) as string;
      const lines = fs.readFileSync(`${dir}/${file}`, 'utf8').trim().split('\n');
      expect(lines.map((line) => JSON.parse(line).msg)).toEqual([
        `Windows event log: warnings and errors also go to the Application log as "${EVENT_SOURCE}"`,
        'agent connected',
        'agent refused-by-hub',
      ]);
    } finally {
      cleanup();
    }
  });

  it('says once in its log when the event log cannot be written, and goes on logging to the file', async () => {
    const { dir, cleanup } = tempDir();
    let tries = 0;
    try {
      const log = await openAgentLog({
        agentId: 'ex01',
        logFile: `${dir}/ex01.log`,
        platform: 'win32',
        stderr: quiet(),
        runProgram: async () => {
          tries++;
          throw new Error('Access is denied.');
        },
      });
      log.event({ type: 'disconnected', code: 1006 });
      await new Promise((resolve) => setImmediate(resolve));
      log.event({ type: 'disconnected', code: 1006 });
      log.event({ type: 'disconnected', code: 1006 });
      await log.close();
      expect(tries).toBe(1);
      const file = fs.readdirSync(dir).find((name) => name.endsWith('.log')) as string;
      const messages = fs
        .readFileSync(`${dir}/${file}`, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).msg as string);
      expect(messages.filter((msg) => msg.includes('cannot write'))).toEqual([
        'Windows event log: cannot write (Access is denied.); the file log goes on',
      ]);
      expect(messages.filter((msg) => msg === 'agent disconnected')).toHaveLength(3);
    } finally {
      cleanup();
    }
  });

  it('passes a line with quotes and a long message as one bounded argument, never through a shell', () => {
    const line = JSON.stringify({ level: 40, msg: 'agent "x" & y', detail: 'z'.repeat(5_000) });
    const args = eventCreateArguments(line);
    expect(args[3]).toBe('WARNING');
    expect(args[9]?.startsWith('agent "x" & y | {')).toBe(true);
    expect(args[9]?.length).toBe(2_000);
  });
});
