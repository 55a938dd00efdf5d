/**
 * The powershell executor: one persistent shell (node-powershell), the Exchange session set up once, each
 * command a fixed template. node-powershell does not stop a timed-out shell, so a timeout disposes it and
 * the next job starts a fresh one.
 */
import { PowerShell } from 'node-powershell';
import type { EmsCommand, EmsResult } from '../../core/ems';
import { emsResultSchema } from '../protocol';
import { commandScript, type ExchangeSession, RESULT_MARKER, setupScript } from './powershell-script';
import { type ExecutorOutcome, type JobExecutor, outcomeOf } from './types';

export interface PowershellExecutorOptions {
  readonly exchange: ExchangeSession;
  readonly connectionUri?: string;
  /** `pwsh` or `powershell`; node-powershell picks by platform when absent. */
  readonly executable?: string;
  /** Extra trusted set-up (tests define stand-in cmdlets with it); never job data. */
  readonly extraSetup?: string;
}

type Shell = InstanceType<typeof PowerShell>;

class TimedOut extends Error {}

/** Parses the marker line a command template prints; anything else is a failure record. */
export function parseShellOutput(stdout: string, stderr: string): EmsResult {
  const line = stdout.split(/\r?\n/).find((candidate) => candidate.startsWith(RESULT_MARKER));
  if (line) {
    const json = Buffer.from(line.slice(RESULT_MARKER.length), 'base64').toString('utf8');
    const parsed = emsResultSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
  }
  const message = stderr.trim() || stdout.trim() || 'The shell returned no result.';
  return {
    ok: false,
    output: [],
    error: { message, category: 'NotSpecified', errorId: 'NoResult,Hybridops.Agent' },
  };
}

/** An executor that runs commands in a real PowerShell with the Exchange Management Shell loaded. */
export function powershellExecutor(options: PowershellExecutorOptions): JobExecutor {
  let shell: Shell | null = null;
  const setup = `${setupScript(options.exchange, options.connectionUri)}\n${options.extraSetup ?? ''}`;

  async function ready(): Promise<Shell> {
    if (shell) return shell;
    const fresh = new PowerShell({
      ...(options.executable ? { executable: options.executable } : {}),
      executableOptions: { '-NoProfile': true, '-NonInteractive': true },
      inputEncoding: 'utf8',
      outputEncoding: 'utf8',
      throwOnInvocationError: false,
    });
    const result = await fresh.invoke(setup);
    if (result.hadErrors) {
      await fresh.dispose('SIGKILL');
      throw new Error(`The Exchange session could not be set up: ${result.raw.trim().slice(0, 500)}`);
    }
    shell = fresh;
    return fresh;
  }

  async function discard(): Promise<void> {
    const dead = shell;
    shell = null;
    if (dead) await dead.dispose('SIGKILL').catch(() => undefined);
  }

  async function runOne(command: EmsCommand, budgetMs: number): Promise<EmsResult> {
    const current = await ready();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimedOut()), budgetMs);
    });
    try {
      const result = await Promise.race([current.invoke(commandScript(command)), timeout]);
      return parseShellOutput(result.stdout?.toString('utf8') ?? '', result.stderr?.toString('utf8') ?? '');
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    name: 'powershell',
    async run(commands, timeoutMs, onProgress): Promise<ExecutorOutcome> {
      const deadline = performance.now() + timeoutMs;
      const results: EmsResult[] = [];
      for (const command of commands) {
        try {
          results.push(await runOne(command, Math.max(1, Math.round(deadline - performance.now()))));
        } catch (error) {
          // A timed-out shell is still busy with the command, a crashed one is gone: either way the next
          // job gets a fresh shell.
          await discard();
          if (error instanceof TimedOut) return { status: 'timedOut', results };
          throw error;
        }
        onProgress?.(results.length);
      }
      return outcomeOf(results);
    },
    close: discard,
  };
}
