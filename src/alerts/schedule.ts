/** The scan schedule: a croner job per watched org; the times themselves are computed without waiting. */
import { Cron } from 'croner';
import { CodedError } from '../core/errors';

/** Hourly: drift is reported within the hour, every daily threshold on its day. */
export const DEFAULT_SCHEDULE = '0 * * * *';

/** Checks a cron pattern; throws BAD_SCHEDULE with croner's reason. */
export function validateSchedule(pattern: string): string {
  try {
    new Cron(pattern, { paused: true, timezone: 'UTC' }).stop();
    return pattern;
  } catch (error) {
    throw new CodedError('BAD_SCHEDULE', `"${pattern}" is not a cron pattern: ${(error as Error).message}`);
  }
}

/** The next `count` scan times after `from` (UTC), as the scheduler will run them. */
export function nextScans(pattern: string, from: Date, count: number): Date[] {
  const job = new Cron(validateSchedule(pattern), { paused: true, timezone: 'UTC' });
  try {
    return job.nextRuns(count, from);
  } finally {
    job.stop();
  }
}

/** How late a scheduled run may start and still be given its own slot (see `slotOf`). */
const SLOT_TOLERANCE_MS = 500;

/**
 * The schedule's time a run that fired at `firedAt` belongs to: the same on every replica, however late
 * each one's timer fired (by less than half a second, on a schedule no tighter than once a second).
 */
export function slotOf(job: Cron, firedAt: Date): Date {
  return job.nextRun(new Date(firedAt.getTime() - SLOT_TOLERANCE_MS)) ?? firedAt;
}

/** Runs a job per org on its pattern; a run still going when the next is due is skipped (croner's protect). */
export class WatchScheduler {
  private readonly jobs = new Map<string, Cron>();

  constructor(
    /** Runs one scheduled scan; `slot` is the schedule's time it is for. */
    private readonly run: (orgId: string, slot: Date) => Promise<unknown>,
    private readonly onError: (orgId: string, error: unknown) => void,
  ) {}

  /** (Re)schedules the org's scans. */
  schedule(orgId: string, pattern: string): void {
    this.unschedule(orgId);
    const job = new Cron(
      validateSchedule(pattern),
      {
        protect: true,
        timezone: 'UTC',
        name: `watch:${orgId}`,
        catch: (error) => this.onError(orgId, error),
      },
      async (self: Cron) => {
        await this.run(orgId, slotOf(self, new Date()));
      },
    );
    this.jobs.set(orgId, job);
  }

  unschedule(orgId: string): void {
    this.jobs.get(orgId)?.stop();
    this.jobs.delete(orgId);
  }

  /** When the org's next scan runs, or null when it is not scheduled. */
  nextRun(orgId: string): Date | null {
    return this.jobs.get(orgId)?.nextRun() ?? null;
  }

  stopAll(): void {
    for (const orgId of [...this.jobs.keys()]) this.unschedule(orgId);
  }
}
