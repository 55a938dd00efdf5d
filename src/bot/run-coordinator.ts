/**
 * Runs approved plans one at a time per target, cancels them between steps, and, on start, resumes or interrupts
 * the runs a stopped bot left unfinished. The work itself is in `src/bot/runs/`.
 */
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import { errorMessage } from '../core/errors';
import type { ApprovalRecord } from '../store/bot-repositories';
import { errorCard, infoCard } from './cards/message-cards';
import { nextStepFor } from './next-steps';
import { resumeApproved, runApproved } from './runs/approved-run';
import { interruptRecovered, recoveryOf, unfinishedRuns } from './runs/recover';
import { type ActiveRun, actorOf, type CoordinatorDeps } from './runs/types';
import { TurnGauge } from './turn-gauge';

export type { CoordinatorDeps } from './runs/types';
export { actorOf };

export type CancelOutcome =
  | { readonly kind: 'cancelling'; readonly runId: string; readonly phase: ActiveRun['phase'] }
  | { readonly kind: 'withdrawn'; readonly approvalId: string }
  | { readonly kind: 'notRunning'; readonly message: string };

/** Executes approved runs one at a time per target, and cancels them between steps. */
export class RunCoordinator {
  private readonly active = new Set<ActiveRun>();
  private queue: Promise<void> = Promise.resolve();
  private readonly work = new Set<Promise<void>>();
  /** The bot's turns in flight (its adapter counts them); runs start when they are answered. */
  readonly turns: TurnGauge;

  constructor(private readonly deps: CoordinatorDeps) {
    this.turns = deps.turns ?? new TurnGauge();
  }

  /** Starts the run of an approved request in the background; the returned promise is for tests and shutdown. */
  start(approval: ApprovalRecord, reference: Partial<ConversationReference>): Promise<void> {
    return this.track(approval, reference, (entry, log) => this.execute(approval, reference, entry, log));
  }

  /**
   * Finds the runs a stopped bot left unfinished: resumes each under its original approval when it is still valid
   * (in the background, like a started run) or marks it interrupted with the reason; the channel hears either way.
   */
  async recover(): Promise<void> {
    const { deps } = this;
    await deps.approvals.expireDue();
    for (const run of await this.runsToRecover()) {
      const log = deps.logger.child({ runId: run.id });
      try {
        const recovery = await recoveryOf(deps, run);
        if (recovery.kind === 'interrupt') {
          await interruptRecovered(deps, recovery, log);
          continue;
        }
        const { approval, reference, plan } = recovery;
        void this.track(approval, reference, (entry, child) =>
          resumeApproved(deps, run, plan, approval, reference, entry, child),
        );
      } catch (error) {
        log.error({ err: error }, 'could not recover an unfinished run');
      }
    }
  }

  /** The runs started and not finished, oldest first: queued, checking the org before the run, or running. */
  listActive(): readonly Readonly<ActiveRun>[] {
    return [...this.active];
  }

  /**
   * With replicas: looks every `sweepMs` for runs whose replica died, and recovers those this replica takes
   * as `recover` does at start. Returns the function that stops looking.
   */
  sweep(): () => void {
    const leases = this.deps.runLeases;
    if (!leases) return () => undefined;
    let sweeping = false;
    const timer = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      this.recover()
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'could not look for orphaned runs'))
        .finally(() => {
          sweeping = false;
        });
    }, leases.sweepMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The unfinished runs this bot should resume: all of them alone; with replicas, those it takes. */
  private async runsToRecover() {
    const runs = await unfinishedRuns(this.deps);
    const leases = this.deps.runLeases;
    if (!leases) return runs;
    const mine = new Set([...this.active].map((entry) => entry.runId));
    const taken = [];
    for (const run of runs) if (!mine.has(run.id) && (await leases.claim(run.id))) taken.push(run);
    return taken;
  }

  /** Resolves when every started run has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.work.size) await Promise.all([...this.work]);
  }

  /**
   * Runs `work` once the turns in flight are answered (as a run starts), tracked for idle(); a failure is only
   * logged, so `work` is for what the clicker already has in hand (e.g. everyone's copy of a decided card).
   */
  afterTurns(work: () => Promise<void>, log: Logger, failed: string): void {
    const tracked: Promise<void> = this.turns
      .quiet()
      .then(work)
      .catch((error: unknown) => log.warn({ err: error }, failed))
      .finally(() => this.work.delete(tracked));
    this.work.add(tracked);
  }

  /** Cancels the active run (or queued approval) whose id starts with `prefix`; the audit log says who. */
  async cancel(prefix: string, by: string): Promise<CancelOutcome> {
    const id = prefix.toLowerCase();
    for (const entry of this.active) {
      if (entry.runId?.startsWith(id) || entry.approvalId.startsWith(id)) {
        entry.cancelledBy = by;
        entry.controller.abort();
        await this.auditCancel(by, entry);
        return { kind: 'cancelling', runId: entry.runId ?? entry.approvalId, phase: entry.phase };
      }
    }
    return {
      kind: 'notRunning',
      message: `No run with id ${prefix} is running now. Type status to see recent runs.`,
    };
  }

  private async auditCancel(by: string, entry: ActiveRun): Promise<void> {
    await this.deps.store.runs.appendAudit({
      at: this.deps.clock.now().toISOString(),
      actor: by,
      action: 'run.cancelled',
      runId: entry.runId,
      runbook: null,
      target: this.deps.target,
      detail: `${entry.runId ? `run ${entry.runId}` : `approval ${entry.approvalId}, not started yet`}: cancelled by ${by}`,
      outcome: 'cancelling',
      durationMs: null,
    });
  }

  /** Queues `work` for an approval, tracked for idle() and cancel(), with an error card if it throws. */
  private track(
    approval: ApprovalRecord,
    reference: Partial<ConversationReference>,
    work: (entry: ActiveRun, log: Logger) => Promise<void>,
  ): Promise<void> {
    const entry: ActiveRun = {
      approvalId: approval.id,
      phase: approval.runId ? 'running' : 'queued',
      since: this.deps.clock.now().toISOString(),
      runId: approval.runId,
      controller: new AbortController(),
      cancelledBy: null,
    };
    this.active.add(entry);
    const log = this.deps.logger.child({ approvalId: approval.id, planId: approval.planId });
    // The run begins once the turns in flight are answered (the click that approved it first of all), so a
    // burst of clicks is not answered between the run's steps.
    const job = this.queue.then(() => this.turns.quiet()).then(() => work(entry, log));
    this.queue = job.catch(() => undefined);
    const tracked = job
      .catch((error: unknown) => this.reportFailure(error, reference, log))
      .finally(() => {
        this.active.delete(entry);
        this.work.delete(tracked);
      });
    this.work.add(tracked);
    return tracked;
  }

  private async reportFailure(error: unknown, reference: Partial<ConversationReference>, log: Logger) {
    log.error({ err: error }, 'run failed to complete');
    await this.deps.poster
      .post(
        reference,
        errorCard(
          'The run stopped unexpectedly',
          errorMessage(error),
          nextStepFor(error, 'Type status to see what was done, then plan again to continue.'),
        ),
      )
      .catch((postError: unknown) => log.error({ err: postError }, 'could not post the error card'));
  }

  private async execute(
    approval: ApprovalRecord,
    reference: Partial<ConversationReference>,
    entry: ActiveRun,
    log: Logger,
  ): Promise<void> {
    const { deps } = this;
    const saved = await deps.store.plans.getPlan(approval.planId);
    if (!saved) throw new Error(`Plan ${approval.planId} of approval ${approval.id} is missing.`);
    if (!entry.controller.signal.aborted) return runApproved(deps, approval, saved, reference, entry, log);
    await deps.store.approvals.closeApproval(
      approval.id,
      'cancelled',
      `cancelled by ${entry.cancelledBy} before it started`,
      deps.clock.now().toISOString(),
    );
    await deps.poster.post(
      reference,
      infoCard('Run cancelled', [
        `Cancelled by ${entry.cancelledBy} before it started. Nothing was changed.`,
      ]),
    );
  }
}
