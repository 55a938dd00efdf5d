/** Starts the Microsoft 365 Agents Playground as a child process, offline, and stops it with its children. */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pidInFile, processRunning } from '../lab/process-ids';

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  readonly appEndpoint: string;
  readonly configPath: string;
  /** 0 for any free port. */
  readonly port: number;
  readonly logFile?: string;
  readonly startTimeoutMs?: number;
  /**
   * A file naming the Playground's process while it runs, removed when it stops: the Playground runs in a process
   * group of its own, so a lab killed outright (SIGKILL) leaves it running, and the next lab stops it from here.
   */
  readonly pidFile?: string;
}

export interface RunningPlayground {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const BIN = path.join(
  path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')),
  'cli.js',
);

/** Spawns the playground and resolves once `/_debug/ping` answers. */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const args = [
    BIN,
    'start',
    '--app-endpoint',
    options.appEndpoint,
    '--channel-id',
    'msteams',
    '--port',
    String(options.port || 0),
    '--disable-telemetry',
  ];
  const child = spawn(process.execPath, args, {
    cwd: path.dirname(options.configPath),
    env: {
      ...process.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath,
      ...(options.logFile ? { M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const { pidFile } = options;
  if (pidFile && child.pid) fs.writeFileSync(pidFile, JSON.stringify({ pid: child.pid, bin: BIN }));
  const stop = async () => {
    await stopChild(child);
    if (pidFile && pidInFile(pidFile) === child.pid) fs.rmSync(pidFile, { force: true });
  };
  try {
    const port = await listeningPort(child, options.startTimeoutMs ?? 30_000);
    const url = `http://127.0.0.1:${port}`;
    await waitForPing(url, options.startTimeoutMs ?? 30_000);
    return { url, port, child, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listeningPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`The playground did not start within ${timeoutMs} ms: ${output.slice(-500)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The playground exited (${code}) before listening: ${output.slice(-500)}`));
    });
  });
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/_debug/ping`);
      if (response.ok) return;
    } catch {
      // Not listening yet: retry until the deadline below.
    }
    if (performance.now() > deadline)
      throw new Error(`The playground at ${url} did not answer /_debug/ping.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops the playground's process group (it has children) and waits for it to exit. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** Process `pid`'s command line, or null when it is gone (or cannot be read). */
function commandLineOf(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    // No /proc (macOS): ask ps, which fails when the process is gone.
    try {
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
    } catch {
      return null;
    }
  }
}

/**
 * Stops the Playground a killed lab left running, as its pid file names it; resolves with its process id, or null
 * when there was none. Only a process still running this Playground's CLI is stopped: a pid the system has given
 * to another process since is left alone. Call it holding the lab's locks, so it is never a live lab's Playground.
 */
export async function stopLeftoverPlayground(pidFile: string): Promise<number | null> {
  const pid = pidInFile(pidFile);
  const running = pid !== null && (commandLineOf(pid)?.includes(BIN) ?? false);
  if (pid === null || !running) {
    fs.rmSync(pidFile, { force: true });
    return null;
  }
  for (const [signal, waitMs] of [
    ['SIGTERM', 3_000],
    ['SIGKILL', 3_000],
  ] as const) {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already.
    }
    const deadline = performance.now() + waitMs;
    while (processRunning(pid) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!processRunning(pid)) break;
  }
  fs.rmSync(pidFile, { force: true });
  return pid;
}
