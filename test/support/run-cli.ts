/** Runs the CLI in-process with captured output, as a user would see it. */

import { runCli } from '../../src/cli/main';
import type { Clock } from '../../src/core/ports';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `hybridops <argv>` with the given environment; returns exit code and output. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv, clock: Clock): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
    clock,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
