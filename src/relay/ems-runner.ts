/** The engine's EmsRunner over the relay: each command (or batch of probes) is one signed job to one agent. */

import type { EmsCommand, EmsResult } from '../core/ems';
import { CodedError } from '../core/errors';
import type { EmsRunner } from '../core/ports';
import type { JobOutcome, RelayHub } from './hub-types';

export interface RelayEmsRunnerOptions {
  /** The agent that runs the commands (the one next to this org's Exchange). */
  readonly agentId: string;
  /** How long one job may run on the agent. */
  readonly timeoutMs?: number;
  /** How long to wait for the agent to (re)connect before giving up without sending anything. */
  readonly connectWaitMs?: number;
  readonly runId?: string;
}

/** Runs EMS commands through the relay hub on one agent; rejects only when a command's outcome is unknown. */
export class RelayEmsRunner implements EmsRunner {
  constructor(
    private readonly hub: Pick<RelayHub, 'dispatch' | 'waitForAgent'>,
    private readonly options: RelayEmsRunnerOptions,
  ) {}

  /** Runs one command as its own job. */
  async run(command: EmsCommand): Promise<EmsResult> {
    const [result] = await this.send('single', [command]);
    if (!result) throw new CodedError('OUTCOME_UNKNOWN', 'The relay agent answered without a result.');
    return result;
  }

  /** Runs read-only commands as one job: one round trip for a whole round of probes. */
  async runReads(commands: readonly EmsCommand[]): Promise<EmsResult[]> {
    if (commands.length === 0) return [];
    return this.send('reads', commands);
  }

  private async send(mode: 'single' | 'reads', commands: readonly EmsCommand[]): Promise<EmsResult[]> {
    const { agentId } = this.options;
    await this.hub.waitForAgent(agentId, this.options.connectWaitMs ?? 10_000);
    const outcome = await this.hub.dispatch({
      agentId,
      mode,
      commands,
      ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
      ...(this.options.runId ? { runId: this.options.runId } : {}),
    });
    return toResults(outcome, commands);
  }
}

/** The per-command results of a finished job; an unknown outcome is thrown so the engine re-probes. */
export function toResults(outcome: JobOutcome, commands: readonly EmsCommand[]): EmsResult[] {
  switch (outcome.status) {
    case 'succeeded':
    case 'failed':
      if (outcome.results.length !== commands.length) {
        throw new CodedError(
          'OUTCOME_UNKNOWN',
          `Job ${outcome.jobId} came back with ${outcome.results.length} results for ${commands.length} commands.`,
        );
      }
      return [...outcome.results];
    case 'rejected': {
      // Nothing ran: a definite answer, reported as each command's error so the admin sees why.
      const code = outcome.error?.code ?? 'REJECTED';
      const message = `The relay agent refused the job (${code}): ${outcome.error?.message ?? 'no reason given'}`;
      return commands.map(() => ({
        ok: false,
        output: [],
        error: { message, category: 'SecurityError', errorId: `RelayJobRejected,${code}` },
      }));
    }
    case 'timedOut':
    case 'interrupted':
      throw new CodedError(
        'OUTCOME_UNKNOWN',
        `Job ${outcome.jobId} ${outcome.status === 'timedOut' ? 'timed out' : 'was interrupted'} on the relay agent; its outcome is unknown.`,
      );
  }
}
