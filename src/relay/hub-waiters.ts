/** Dispatched jobs waiting for their result, each until its own deadline (AbortSignal.timeout). */
import { CodedError } from '../core/errors';
import type { JobOutcome } from './hub-types';

/** One job the engine waits for. */
export interface Waiter {
  readonly agentId: string;
  readonly onProgress?: (done: number, of: number) => void;
  /** The agent said it has the job (kept in memory only: after a restart every open job is offered again). */
  acked: boolean;
}

interface Entry extends Waiter {
  readonly resolve: (outcome: JobOutcome) => void;
  readonly reject: (error: Error) => void;
  readonly signal: AbortSignal;
  readonly onDeadline: () => void;
}

/** The jobs the engine is waiting for; at a job's deadline its outcome is unknown and `onExpired` is told. */
export class JobWaiters {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly onExpired: (jobId: string, agentId: string) => void) {}

  /** Waits up to `timeoutMs` for the job's result; rejects OUTCOME_UNKNOWN when none comes in time. */
  wait(
    job: { readonly jobId: string; readonly agentId: string },
    timeoutMs: number,
    onProgress?: (done: number, of: number) => void,
  ): Promise<JobOutcome> {
    return new Promise<JobOutcome>((resolve, reject) => {
      const signal = AbortSignal.timeout(timeoutMs);
      const onDeadline = () => {
        if (!this.take(job.jobId)) return;
        this.onExpired(job.jobId, job.agentId);
        reject(
          new CodedError(
            'OUTCOME_UNKNOWN',
            `No result from relay agent ${job.agentId} for job ${job.jobId} in time.`,
          ),
        );
      };
      signal.addEventListener('abort', onDeadline, { once: true });
      this.entries.set(job.jobId, {
        agentId: job.agentId,
        acked: false,
        ...(onProgress ? { onProgress } : {}),
        resolve,
        reject,
        signal,
        onDeadline,
      });
    });
  }

  /** The job's waiter, while the engine still waits for it. */
  get(jobId: string): Waiter | undefined {
    return this.entries.get(jobId);
  }

  /** Hands the agent's result to the engine; false when nobody waits for this job from this agent. */
  settle(jobId: string, agentId: string, outcome: JobOutcome): boolean {
    if (this.entries.get(jobId)?.agentId !== agentId) return false;
    this.take(jobId)?.resolve(outcome);
    return true;
  }

  /** Stops waiting for a job that was never sent; its promise is left as it is (unsettled, if not yet). */
  abandon(jobId: string): void {
    this.take(jobId);
  }

  /** Stops waiting for every job: each one's outcome is unknown. */
  failAll(reason: (jobId: string) => Error): void {
    for (const jobId of [...this.entries.keys()]) this.take(jobId)?.reject(reason(jobId));
  }

  private take(jobId: string): Entry | undefined {
    const entry = this.entries.get(jobId);
    if (!entry) return undefined;
    this.entries.delete(jobId);
    entry.signal.removeEventListener('abort', entry.onDeadline);
    return entry;
  }
}
