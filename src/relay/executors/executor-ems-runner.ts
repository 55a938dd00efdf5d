/** The engine's EmsRunner straight over an executor, without the relay: the CLI on the Exchange server itself. */

import type { EmsCommand, EmsResult } from '../../core/ems';
import { CodedError } from '../../core/errors';
import type { EmsRunner } from '../../core/ports';
import { isMutating, validateCommand } from '../../exchange/validate';
import type { JobExecutor } from './types';

export interface ExecutorEmsRunner extends EmsRunner {
  close(): Promise<void>;
}

/**
 * Runs each command through `executor` after the same validation the relay agent applies; a command whose
 * outcome is unknown (timed out, shell lost) rejects, so the engine re-probes instead of repeating it.
 */
export function executorEmsRunner(executor: JobExecutor, timeoutMs = 300_000): ExecutorEmsRunner {
  async function runJob(commands: readonly EmsCommand[]): Promise<EmsResult[]> {
    const checked = commands.map((command) => validateCommand(command));
    const outcome = await executor.run(checked, timeoutMs);
    if (outcome.status === 'timedOut' || outcome.results.length !== checked.length) {
      throw new CodedError(
        'OUTCOME_UNKNOWN',
        `${checked[outcome.results.length]?.cmdlet ?? 'A command'} did not finish within ${timeoutMs} ms; its outcome is unknown.`,
      );
    }
    return [...outcome.results];
  }

  return {
    async run(command) {
      const [result] = await runJob([command]);
      return result as EmsResult;
    },
    async runReads(commands) {
      if (commands.length === 0) return [];
      const mutating = commands.find((command) => isMutating(command.cmdlet));
      if (mutating) {
        throw new CodedError(
          'MUTATING_IN_READ_BATCH',
          `${mutating.cmdlet} changes the org: not in a batch of reads.`,
        );
      }
      return runJob(commands);
    },
    close: () => executor.close(),
  };
}
