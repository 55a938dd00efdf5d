/** A real `npm run lab` process for tests: started on a folder of its own, its output kept, stopped with its Playground. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { stopLeftoverPlayground } from '../../src/playground/launch';

const ROOT = path.join(__dirname, '..', '..');

export interface LabProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Sends `signal` and resolves once it exited (at once when it already had). */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/** Resolves once `condition` holds; fails naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the lab on `dir`, the bot on a free port; `env` adds to (or overrides) the lab's settings. */
export function startLabProcess(dir: string, env: Record<string, string> = {}): LabProcess {
  // tsx as node's loader, so the lab is this child process itself (its pid is the one its lock names).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/lab.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HYBRIDOPS_LAB_DIR: dir,
      PORT: '0',
      HYBRIDOPS_PLAYGROUND_PORT: '0',
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: unknown) => {
    output += String(chunk);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    child,
    output: () => output,
    async stop(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

/** Stops `labs` (SIGKILL, as a crash would) and the Playground any of them left running on `dir`. */
export async function stopLabProcesses(labs: readonly LabProcess[], dir: string): Promise<void> {
  for (const lab of labs) await lab.stop('SIGKILL');
  await stopLeftoverPlayground(path.join(dir, 'playground.pid'));
}
