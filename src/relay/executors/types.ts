/** What an agent runs jobs with: the real Exchange Management Shell, the simulated org, or nothing (benchmarks). */
import type { EmsCommand, EmsResult } from '../../core/ems';

/** How running a job's commands went; `timedOut` leaves the outcome of the command that was running unknown. */
export interface ExecutorOutcome {
  readonly status: 'succeeded' | 'failed' | 'timedOut';
  readonly results: readonly EmsResult[];
}

/** Runs validated commands, one job at a time. */
export interface JobExecutor {
  readonly name: string;
  /** Runs the commands in order; a reads job runs them all, a single job its one command. */
  run(
    commands: readonly EmsCommand[],
    timeoutMs: number,
    onProgress?: (done: number) => void,
  ): Promise<ExecutorOutcome>;
  close(): Promise<void>;
}

/** succeeded when every command succeeded, failed otherwise. */
export function outcomeOf(results: readonly EmsResult[]): ExecutorOutcome {
  return { status: results.every((result) => result.ok) ? 'succeeded' : 'failed', results };
}
