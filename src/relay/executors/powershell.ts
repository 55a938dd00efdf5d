/**
 * The powershell executor: one persistent shell per agent (started with node-powershell on the first job),
 * the Exchange session set up once, each command one line of base64 data for the shell's fixed job loop.
 * A command that runs past its budget gets its shell killed and the job reported timed out; a shell that
 * crashed is replaced by a fresh one for the next job.
 */
import type { EmsCommand, EmsResult } from '../../core/ems';
import { errorMessage } from '../../core/errors';
import { type ExchangeSession, type LabModuleSession, setupScript } from './powershell-script';
import { PwshSession, ShellTimedOut } from './pwsh-session';
import { type ExecutorOutcome, type JobExecutor, outcomeOf } from './types';

export { parseResultPayload } from './pwsh-session';

export interface PowershellExecutorOptions {
  readonly exchange: ExchangeSession;
  readonly connectionUri?: string;
  /** The lab module, when `exchange` is `lab`. */
  readonly lab?: LabModuleSession;
  /** `pwsh` or `powershell`; node-powershell picks by platform when absent. */
  readonly executable?: string;
  /** Extra trusted set-up (tests define stand-in cmdlets with it); never job data. */
  readonly extraSetup?: string;
  /** The shell's environment; the process's own by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** How long starting the shell and its Exchange session may take (remote sessions are slow). */
  readonly startTimeoutMs?: number;
}

/** What the executor has done with shells, for tests and benchmarks. */
export interface PowershellExecutor extends JobExecutor {
  /** How many shells it has started so far. */
  readonly shellsStarted: number;
  /** Starts the shell now rather than with the first job (the lab does, to fail at its own start); rejects in the shell's words. */
  start(): Promise<void>;
}

/** An executor that runs commands in a real PowerShell with the Exchange Management Shell loaded. */
export function powershellExecutor(options: PowershellExecutorOptions): PowershellExecutor {
  let shell: PwshSession | null = null;
  let started = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const setup = setupScript(options.exchange, {
    ...(options.connectionUri ? { connectionUri: options.connectionUri } : {}),
    ...(options.lab ? { lab: options.lab } : {}),
    ...(options.extraSetup ? { extra: options.extraSetup } : {}),
  });

  async function ready(): Promise<PwshSession> {
    if (shell?.alive) return shell;
    shell = null;
    started += 1;
    shell = await PwshSession.start({
      setup,
      startTimeoutMs: options.startTimeoutMs ?? 120_000,
      ...(options.executable ? { executable: options.executable } : {}),
      ...(options.env ? { env: options.env } : {}),
      // The lab module is a script module: allow it on Windows, where scripts may be restricted.
      ...(options.exchange === 'lab' ? { executableOptions: { '-ExecutionPolicy': 'Bypass' } } : {}),
    });
    return shell;
  }

  async function discard(): Promise<void> {
    const dead = shell;
    shell = null;
    if (dead) await dead.kill();
  }

  async function runJob(
    commands: readonly EmsCommand[],
    timeoutMs: number,
    onProgress?: (done: number) => void,
  ): Promise<ExecutorOutcome> {
    let session: PwshSession;
    try {
      session = await ready();
    } catch (error) {
      // Nothing reached Exchange: a definite failure of every command, in the shell's own words.
      return outcomeOf(commands.map(() => startFailure(error)));
    }
    // Starting the shell has its own budget; the job's is for its commands.
    const deadline = performance.now() + timeoutMs;
    const results: EmsResult[] = [];
    for (const command of commands) {
      try {
        results.push(await session.run(command, Math.max(1, deadline - performance.now())));
      } catch (error) {
        // A timed-out shell is still busy with the command, a crashed one is gone: either way the next job
        // gets a fresh shell, and this command's outcome is unknown.
        await discard();
        if (error instanceof ShellTimedOut) return { status: 'timedOut', results };
        throw error;
      }
      onProgress?.(results.length);
    }
    return outcomeOf(results);
  }

  return {
    name: 'powershell',
    get shellsStarted() {
      return started;
    },
    run(commands, timeoutMs, onProgress) {
      // One job at a time on the one shell, whoever calls.
      const run = queue.then(() => runJob(commands, timeoutMs, onProgress));
      queue = run.catch(() => undefined);
      return run;
    },
    start() {
      const run = queue.then(async () => {
        await ready();
      });
      queue = run.catch(() => undefined);
      return run;
    },
    close: discard,
  };
}

function startFailure(error: unknown): EmsResult {
  return {
    ok: false,
    output: [],
    error: {
      message: `The Exchange Management Shell could not be started: ${errorMessage(error)}`,
      category: 'OpenError',
      errorId: 'ShellStartFailed,Hybridops.Agent',
    },
  };
}
