/**
 * The powershell executor against the same HybridOps.Lab function called directly in one warm pwsh, in the
 * same run and against the same simulated org; and the shell's start-up, paid once per agent.
 */
import { execFileSync, spawn } from 'node:child_process';
import readline from 'node:readline';
import type { EmsCommand } from '../src/core/ems';
import { SimulatedExchange } from '../src/lab/exchange-org';
import { createLabState } from '../src/lab/init';
import { LAB_MODULE_PATH, startLabModuleEndpoint } from '../src/lab/powershell-endpoint';
import { powershellExecutor } from '../src/relay/executors/powershell';
import { type BenchFigure, limitFigure, median, ratioFigure } from './harness';

const clock = { now: () => new Date() };
const DC = 'dc01.contoso.com';
const PROBE: EmsCommand = { cmdlet: 'Get-AuthConfig', params: { DomainController: DC } };
const CALLS = 200;
const ROUNDS = 7;
const WARM_UP = 300;
// Like the engine figure: lab cmdlets of 5 ms, still far quicker than Exchange's (tens of ms and more).
const LATENCY_MS = 5;

function findShell(): string | null {
  for (const name of ['pwsh', 'powershell']) {
    try {
      execFileSync(name, ['-NoProfile', '-NonInteractive', '-Command', '1'], { stdio: 'ignore' });
      return name;
    } catch {
      // Not installed under this name.
    }
  }
  return null;
}

/** One warm shell with the module imported, that times the module function in a loop on request. */
interface DirectShell {
  /** Per-call milliseconds of `calls` direct calls, timed inside the shell. */
  round(calls: number): Promise<number>;
  close(): void;
}

async function startDirectShell(shell: string, env: NodeJS.ProcessEnv): Promise<DirectShell> {
  const child = spawn(shell, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '-'], {
    env: { ...env, TERM: 'dumb' },
  });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    if (line.startsWith('ROUND ')) waiting.shift()?.(line.slice(6));
  });
  const ask = (command: string) =>
    new Promise<string>((resolve) => {
      waiting.push(resolve);
      child.stdin.write(`${command}\n`);
    });
  const call = `$null = Get-AuthConfig -DomainController '${DC}'`;
  await ask(
    `Import-Module '${LAB_MODULE_PATH.replace(/'/g, "''")}' -DisableNameChecking; for ($i = 0; $i -lt ${WARM_UP}; $i++) { ${call} }; [Console]::Out.WriteLine('ROUND 0')`,
  );
  return {
    async round(calls) {
      const answer = await ask(
        `$w = [System.Diagnostics.Stopwatch]::StartNew(); for ($i = 0; $i -lt ${calls}; $i++) { ${call} }; [Console]::Out.WriteLine('ROUND ' + ($w.Elapsed.TotalMilliseconds / ${calls}).ToString([cultureinfo]::InvariantCulture))`,
      );
      return Number(answer);
    },
    close: () => child.kill(),
  };
}

/** The executor's figures; none when no shell is installed (say so, do not fail the whole bench). */
export async function benchPowershell(): Promise<BenchFigure[]> {
  const shell = findShell();
  if (!shell) {
    process.stdout.write(
      'powershell bench: SKIPPED, no pwsh on PATH (dotnet tool install --global PowerShell --version 7.6.9)\n',
    );
    return [];
  }
  const state = await createLabState({ now: clock.now(), domain: 'contoso.com' });
  const exchange = new SimulatedExchange(state, { clock, persist: () => undefined });
  const endpoint = await startLabModuleEndpoint(exchange);
  const env = { ...process.env, ...endpoint.env };
  const direct = await startDirectShell(shell, env);
  const executor = powershellExecutor({
    exchange: 'lab',
    lab: { modulePath: LAB_MODULE_PATH },
    executable: shell,
    env,
  });
  /** Median per-command times of the executor and of direct calls, rounds alternating between the two. */
  const measure = async (latencyMs: number) => {
    state.org.exchange.latencyMs = latencyMs;
    const executorRounds: number[] = [];
    const directRounds: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const started = performance.now();
      for (let i = 0; i < CALLS; i += 1) await executor.run([PROBE], 60_000);
      executorRounds.push((performance.now() - started) / CALLS);
      // Right after, so a busy moment on this machine falls on both alike.
      directRounds.push(await direct.round(CALLS));
    }
    return { executor: median(executorRounds), direct: median(directRounds) };
  };
  try {
    const coldStarted = performance.now();
    const first = await executor.run([PROBE], 60_000);
    const cold = performance.now() - coldStarted;
    if (first.status !== 'succeeded')
      throw new Error(`the executor could not run ${PROBE.cmdlet}: ${JSON.stringify(first)}`);
    for (let i = 0; i < WARM_UP; i += 1) await executor.run([PROBE], 60_000);
    const quick = await measure(0);
    const usual = await measure(LATENCY_MS);
    const jobs = 1 + WARM_UP + 2 * ROUNDS * CALLS;
    return [
      ratioFigure(
        `powershell executor per command (${PROBE.cmdlet} through HybridOps.Lab, lab cmdlets ${LATENCY_MS} ms) vs the same function called in one warm ${shell}`,
        'ms',
        usual.executor,
        usual.direct,
        1.3,
      ),
      limitFigure(
        `powershell executor's own cost per command (lab cmdlets 0 ms: ${round(quick.executor)} ms vs ${round(quick.direct)} ms direct)`,
        'ms',
        quick.executor - quick.direct,
        3,
      ),
      limitFigure(
        `${shell} start-up with HybridOps.Lab, paid once per agent (first job less a warm one)`,
        'ms',
        cold - quick.executor,
        15_000,
      ),
      limitFigure(`shells started for ${jobs} jobs`, 'shells', executor.shellsStarted, 1),
    ];
  } finally {
    await executor.close();
    direct.close();
    await endpoint.close();
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
