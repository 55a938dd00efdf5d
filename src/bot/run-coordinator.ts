/** Runs approved plans: re-plans, refuses a changed plan, applies with a live run card, then posts the result. */
import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import { errorMessage } from '../core/errors';
import type { Clock, EmsRunner, GraphPort } from '../core/ports';
import { type ApplyResult, applyRunbook } from '../engine/apply';
import type { Plan } from '../engine/plan-types';
import { planRunbook } from '../engine/planner';
import { getRunbook, type RunbookInputs } from '../runbooks';
import type { ApprovalRecord, SavedPlan } from '../store/bot-repositories';
import { verifyRunbook } from '../verify/verify-runbook';
import { approvalCard } from './cards/approval-card';
import { shortId } from './cards/elements';
import { errorCard, infoCard, resultCard } from './cards/message-cards';
import { planCard } from './cards/plan-card';
import { initialRunView, type RunView, reduceRunView, runCard } from './cards/run-card';
import { CoalescedCard } from './coalesced-card';
import { inputFacts } from './inputs';
import { nextStepFor } from './next-steps';
import type { Poster } from './poster';
import type { BotRepositories } from './repositories';

export interface CoordinatorDeps {
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  readonly clock: Clock;
  readonly store: Pick<BotRepositories, 'runs' | 'plans' | 'approvals'>;
  readonly poster: Poster;
  /** Where runs apply, as journaled (e.g. `lab:/path/org.json` or the org's name). */
  readonly target: string;
  readonly logger: Logger;
  /** Minimum time between two updates of a run card. */
  readonly updateIntervalMs: number;
}

export type CancelOutcome =
  | { readonly kind: 'cancelling'; readonly runId: string }
  | { readonly kind: 'withdrawn'; readonly approvalId: string }
  | { readonly kind: 'notRunning'; readonly message: string };

interface ActiveRun {
  readonly approvalId: string;
  runId: string | null;
  readonly controller: AbortController;
  cancelledBy: string | null;
}

/** Who, as written in the journal and audit log: name and Entra object id. */
export const actorOf = (name: string, id: string | null) => `${name} (${id ?? 'unknown id'})`;

/** Executes approved runs one at a time per target, and cancels them between steps. */
export class RunCoordinator {
  private readonly active = new Set<ActiveRun>();
  private queue: Promise<void> = Promise.resolve();
  private readonly work = new Set<Promise<void>>();

  constructor(private readonly deps: CoordinatorDeps) {}

  /** Starts the run of an approved request in the background; the returned promise is for tests and shutdown. */
  start(approval: ApprovalRecord, reference: Partial<ConversationReference>): Promise<void> {
    const entry: ActiveRun = {
      approvalId: approval.id,
      runId: null,
      controller: new AbortController(),
      cancelledBy: null,
    };
    this.active.add(entry);
    const log = this.deps.logger.child({ approvalId: approval.id, planId: approval.planId });
    // The run begins after the current I/O phase, so the click that approved it gets its answer first.
    const job = this.queue
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.execute(approval, reference, entry, log));
    this.queue = job.catch(() => undefined);
    const tracked = job
      .catch(async (error: unknown) => {
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
      })
      .finally(() => {
        this.active.delete(entry);
        this.work.delete(tracked);
      });
    this.work.add(tracked);
    return tracked;
  }

  /** Resolves when every started run has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.work.size) await Promise.all([...this.work]);
  }

  /** Cancels the active run (or queued approval) whose id starts with `prefix`. */
  cancel(prefix: string, by: string): CancelOutcome {
    const id = prefix.toLowerCase();
    for (const entry of this.active) {
      if (entry.runId?.startsWith(id) || entry.approvalId.startsWith(id)) {
        entry.cancelledBy = by;
        entry.controller.abort();
        return { kind: 'cancelling', runId: entry.runId ?? entry.approvalId };
      }
    }
    return {
      kind: 'notRunning',
      message: `No run with id ${prefix} is running now. Type status to see recent runs.`,
    };
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
    if (entry.controller.signal.aborted) {
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
      return;
    }
    const runbook = getRunbook(saved.runbook);
    const inputs = JSON.parse(saved.inputs) as RunbookInputs;
    const { plan } = await planRunbook(runbook, inputs, this.planDeps());
    if (plan.hash !== approval.planHash) {
      await this.supersede(approval, plan, saved, reference, log);
      return;
    }
    const result = await this.applyWithRunCard(approval, plan, inputs, reference, entry, log);
    const checks = result.state === 'succeeded' ? await verifyRunbook(runbook, inputs, this.planDeps()) : [];
    await deps.poster.post(
      reference,
      resultCard({
        title: plan.title,
        runId: result.runId,
        state: result.state,
        error: result.error,
        checks,
        changed: result.steps.filter((step) => step.state === 'succeeded').length,
        skipped: result.steps.filter((step) => step.state === 'skipped').length,
      }),
    );
  }

  private planDeps() {
    return { ems: this.deps.ems, graph: this.deps.graph, clock: this.deps.clock };
  }

  /** Applies the approved plan, with a run card in the conversation that follows every step. */
  private async applyWithRunCard(
    approval: ApprovalRecord,
    plan: Plan,
    inputs: RunbookInputs,
    reference: Partial<ConversationReference>,
    entry: ActiveRun,
    log: Logger,
  ): Promise<ApplyResult> {
    const { deps } = this;
    let view: RunView = initialRunView(
      plan.title,
      plan.steps,
      approval.requesterName,
      approval.decidedByName ?? 'an approver',
    );
    const messageId = await deps.poster.post(reference, runCard(view));
    const card = new CoalescedCard(
      (next) => deps.poster.update(reference, messageId, next),
      deps.updateIntervalMs,
      (error) => log.warn({ err: error }, 'run card update failed'),
    );
    const result = await applyRunbook(
      {
        runbook: getRunbook(plan.runbook),
        inputs,
        target: deps.target,
        requestedBy: actorOf(approval.requesterName, approval.requester),
        approvedBy: actorOf(approval.decidedByName ?? 'approver', approval.decidedBy),
        signal: entry.controller.signal,
        onProgress: async (event) => {
          if (event.type === 'run.started') {
            entry.runId = event.runId;
            // Linked before the first step: from now on the approval cannot be withdrawn or superseded.
            await deps.store.approvals.setApprovalRun(approval.id, event.runId);
          }
          view = reduceRunView(view, event);
          if (entry.controller.signal.aborted && view.state === 'running')
            view = { ...view, state: 'cancelling' };
          card.set(runCard(view));
        },
      },
      { ...this.planDeps(), store: deps.store.runs, logger: log },
    );
    const cancelled = result.error && entry.cancelledBy;
    view = {
      ...view,
      error: cancelled ? `${result.error} Cancelled by ${entry.cancelledBy}.` : result.error,
    };
    card.set(runCard(view));
    await card.flush();
    return result;
  }

  /** The org changed after approval: nothing runs; a new plan is posted to approve again. */
  private async supersede(
    approval: ApprovalRecord,
    plan: Plan,
    approved: SavedPlan,
    reference: Partial<ConversationReference>,
    log: Logger,
  ): Promise<void> {
    const { deps } = this;
    const { store } = deps;
    const now = deps.clock.now();
    const reason =
      'the org changed after approval, so the plan differs; a new plan was posted to approve again';
    await store.approvals.closeApproval(approval.id, 'superseded', reason, now.toISOString());
    await store.runs.appendAudit({
      at: now.toISOString(),
      actor: actorOf(approval.decidedByName ?? 'approver', approval.decidedBy),
      action: 'approval.superseded',
      runId: null,
      runbook: plan.runbook,
      target: deps.target,
      detail: `approval ${approval.id}: approved hash ${approval.planHash}, current hash ${plan.hash}`,
      outcome: 'not run',
      durationMs: null,
    });
    const closed = (await store.approvals.getApproval(approval.id)) ?? approval;
    if (approval.messageId) {
      await deps.poster
        .update(reference, approval.messageId, approvalCard(closed, approved.plan, { view: 'readOnly', now }))
        .catch((error: unknown) => log.warn({ err: error }, 'could not update the superseded approval card'));
    }
    const planId = randomUUID();
    await store.plans.savePlan({
      id: planId,
      runbook: plan.runbook,
      inputs: approved.inputs,
      hash: plan.hash,
      plan,
      conversationId: approval.conversationId,
      createdBy: approval.requester,
      createdAt: now.toISOString(),
    });
    await deps.poster.post(
      reference,
      errorCard(
        'Plan changed since approval: nothing was run',
        `The org no longer matches approval ${shortId(approval.id)}.`,
        'Review the new plan below and request approval again.',
      ),
    );
    await deps.poster.post(
      reference,
      planCard(plan, planId, inputFacts(JSON.parse(approved.inputs) as RunbookInputs)),
    );
  }
}
