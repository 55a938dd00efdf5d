/**
 * One running shell. node-powershell starts the process and runs the set-up (its invoke frames stdout and
 * stderr with delimiters, so a set-up error comes back whole); jobs then go to a fixed job loop inside the
 * shell, one stdin line each, one result line back. node-powershell's invoke interprets five host lines per
 * call (its four delimiter writes and the command), about 7 ms a command with pwsh 7.6 here, against well
 * under 1 ms for a line the loop reads.
 */
import { randomBytes } from 'node:crypto';
import { PowerShell } from 'node-powershell';
import type { EmsCommand, EmsResult } from '../../core/ems';
import { emsResultSchema } from '../protocol';
import {
  jobLine,
  LOOP_MARKER,
  loopLine,
  PID_MARKER,
  READY_MARKER,
  RESULT_MARKER,
  SETUP_ERROR_MARKER,
  setupLine,
} from './powershell-script';

type Shell = InstanceType<typeof PowerShell>;

/** The shell ended (crashed, killed, or exited) while a job was on it: that job's outcome is unknown. */
export class ShellExited extends Error {}
/** The job ran past its budget; the shell is still busy with it and must be killed. */
export class ShellTimedOut extends Error {}

export interface PwshSessionOptions {
  /** `pwsh` or `powershell`; node-powershell picks by platform when absent. */
  readonly executable?: string;
  /** The set-up script (trusted text), run once. */
  readonly setup: string;
  /** The shell's environment (the lab module reads its endpoint from it). */
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs: number;
  /** Extra executable options, e.g. `-ExecutionPolicy Bypass` for the lab module on Windows. */
  readonly executableOptions?: Readonly<Record<string, string | boolean>>;
}

interface Waiter {
  readonly prefix: string;
  resolve(rest: string): void;
  reject(error: Error): void;
}

const STDERR_TAIL = 4096;
const LAUNCHER_GRACE_MS = 2000;

/** A started shell with its Exchange session set up and its job loop listening. */
export class PwshSession {
  private buffer = '';
  private waiter: Waiter | null = null;
  private exited = false;
  /** stdout closed: the process node-powershell spawned has ended. */
  private closed = false;
  private stderrTail = '';
  /** The shell's own process id: a launcher (the .NET tool's `pwsh`) starts it as a child of the one we spawned. */
  private shellPid: number | null = null;

  private constructor(private readonly shell: Shell) {
    // Read alongside node-powershell's own readers (a pipe is one more 'data' listener), from the start, so
    // the shell's process id is known even if the set-up never finishes.
    shell.streams.stdout.on('data', (chunk: string | Buffer) => this.onStdout(chunk.toString()));
    shell.streams.stderr.on('data', (chunk: string | Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL);
    });
    shell.streams.stdout.once('close', () => this.onExit());
  }

  /** Starts a shell, runs the set-up and hands stdin to the job loop; throws with the shell's own words. */
  static async start(options: PwshSessionOptions): Promise<PwshSession> {
    const shell = new PowerShell({
      ...(options.executable ? { executable: options.executable } : {}),
      executableOptions: { '-NoProfile': true, '-NonInteractive': true, ...options.executableOptions },
      // TERM=dumb keeps .NET from writing terminal mode escapes around every line it reads.
      spawnOptions: { env: { ...(options.env ?? process.env), TERM: 'dumb' } },
      inputEncoding: 'utf8',
      outputEncoding: 'utf8',
      throwOnInvocationError: false,
    });
    const session = new PwshSession(shell);
    let timer: NodeJS.Timeout | undefined;
    const boot = session.boot(options.setup);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the shell did not start within ${options.startTimeoutMs} ms`)),
        options.startTimeoutMs,
      );
    });
    try {
      await Promise.race([boot, timeout]);
      return session;
    } catch (error) {
      // Settle the boot promise too: killing the shell makes its pending invoke reject.
      boot.catch(() => undefined);
      await session.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the shell is still running. */
  get alive(): boolean {
    return !this.exited;
  }

  /** The end of what the shell wrote to stderr (for diagnostics; never parsed). */
  get stderr(): string {
    return this.stderrTail;
  }

  /** Runs one validated command through the job loop. Rejects ShellTimedOut or ShellExited; never retries. */
  run(command: EmsCommand, timeoutMs: number): Promise<EmsResult> {
    if (this.exited) return Promise.reject(new ShellExited('The shell had already exited.'));
    const token = randomBytes(16).toString('hex');
    return new Promise<EmsResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new ShellTimedOut(`The command ran longer than ${timeoutMs} ms.`));
      }, timeoutMs);
      this.waiter = {
        prefix: `${RESULT_MARKER}${token}:`,
        resolve: (rest) => {
          clearTimeout(timer);
          resolve(parseResultPayload(rest));
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.shell.streams.stdin.write(`${jobLine(token, command)}\n`);
    });
  }

  /**
   * Kills the shell (a timed-out one is still busy: node-powershell would leave it running). Killing only the
   * process node-powershell spawned would orphan the real shell behind a launcher, still running the command.
   */
  async kill(): Promise<void> {
    this.exited = true;
    this.waiter?.reject(new ShellExited('The shell was stopped.'));
    this.waiter = null;
    if (this.shellPid !== null && !this.closed) {
      const closed = new Promise<void>((resolve) => {
        this.shell.streams.stdout.once('close', () => resolve());
        setTimeout(resolve, LAUNCHER_GRACE_MS).unref();
      });
      try {
        process.kill(this.shellPid, 'SIGKILL');
        // A launcher exits once its child has, and reaps it; killed first, it would leave a zombie.
        await closed;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    // node-powershell reports an exit by signal as a ProcessError; here it is the exit we asked for.
    await this.shell.dispose('SIGKILL').catch(() => undefined);
  }

  private async boot(setup: string): Promise<void> {
    const result = await this.shell.invoke(setupLine(setup));
    const stdout = result.stdout?.toString('utf8') ?? '';
    if (!stdout.includes(READY_MARKER)) {
      const marked = new RegExp(`${SETUP_ERROR_MARKER}([A-Za-z0-9+/=]*)`).exec(stdout)?.[1];
      const said = marked
        ? Buffer.from(marked, 'base64').toString('utf8')
        : (result.stderr?.toString('utf8') ?? '').trim() || stdout.trim() || 'no output';
      throw new Error(
        `the Exchange session could not be set up: ${said.replace(/\s+/g, ' ').slice(0, 1000)}`,
      );
    }
    // History keeps every command and its output for the life of the shell; the set-up is the only one.
    this.shell.history.length = 0;
    // node-powershell unpipes its readers after an invoke (and its exit watcher from stderr after a few
    // chunks), which pauses the stream: a paused stderr fills its pipe and blocks the shell mid-command.
    for (const stream of [this.shell.streams.stdout, this.shell.streams.stderr]) {
      stream.on('pause', () => setImmediate(() => stream.resume()));
      stream.resume();
    }
    const token = randomBytes(16).toString('hex');
    const looping = new Promise<void>((resolve, reject) => {
      this.waiter = { prefix: `${LOOP_MARKER}${token}`, resolve: () => resolve(), reject };
    });
    this.shell.streams.stdin.write(`${loopLine(token)}\n`);
    await looping;
  }

  private onStdout(text: string): void {
    this.buffer += text;
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      const pid = line.indexOf(PID_MARKER);
      if (this.shellPid === null && pid >= 0)
        this.shellPid = Number(line.slice(pid + PID_MARKER.length)) || null;
      const waiter = this.waiter;
      const at = waiter ? line.indexOf(waiter.prefix) : -1;
      // Anything else on stdout (warnings, host writes, a forged marker without this job's token) is noise.
      if (waiter && at >= 0) {
        this.waiter = null;
        waiter.resolve(line.slice(at + waiter.prefix.length));
      }
      newline = this.buffer.indexOf('\n');
    }
  }

  private onExit(): void {
    this.exited = true;
    this.closed = true;
    const waiter = this.waiter;
    this.waiter = null;
    const said = this.stderrTail.trim();
    waiter?.reject(new ShellExited(`The shell exited${said ? `: ${said.slice(-500)}` : '.'}`));
  }
}

/** Decodes a result line's payload; a line that does not decode is reported as an error record. */
export function parseResultPayload(payload: string): EmsResult {
  try {
    const json = Buffer.from(payload.trim(), 'base64').toString('utf8');
    const parsed = emsResultSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through to the error record below: the shell printed something that is not a result.
  }
  return {
    ok: false,
    output: [],
    error: {
      message: 'The shell answered with a result that could not be read.',
      category: 'NotSpecified',
      errorId: 'MalformedResult,Hybridops.Agent',
    },
  };
}
