/**
 * Crash recovery: on start, every run the bot left unfinished is resumed under its original approval (when that is
 * still valid and the plan still holds) or marked interrupted with the reason; either way the channel is told and
 * the frozen run card updated. `status` never shows a run "running" that nothing runs.
 */
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Plan } from '../../core/plan';
import { interruptRun } from '../../engine/apply';
import { getRunbook, type RunbookInputs } from '../../runbooks';
import type { ApprovalRecord } from '../../store/bot-repositories';
import type { RunRecord } from '../../store/types';
import { infoCard } from '../cards/message-cards';
import { runCard } from '../cards/run-card';
import { journaledRunView, runViewOf } from './run-card-session';
import type { CoordinatorDeps } from './types';

/** What to do with one unfinished run. */
export type Recovery =
  | {
      readonly kind: 'resume';
      readonly run: RunRecord;
      readonly plan: Plan;
      readonly approval: ApprovalRecord;
      readonly reference: Partial<ConversationReference>;
    }
  | {
      readonly kind: 'interrupt';
      readonly run: RunRecord;
      readonly reason: string;
      readonly plan: Plan | null;
      readonly approval: ApprovalRecord | null;
      readonly reference: Partial<ConversationReference> | null;
    };

/** The bot's unfinished runs, oldest first; the CLI's (never approved) are left to its next apply. */
export async function unfinishedRuns(deps: CoordinatorDeps): Promise<RunRecord[]> {
  const runs = await deps.store.runs.listRuns({ state: 'running', target: deps.target, limit: 1000 });
  return runs.filter((run) => run.approvedBy !== null).reverse();
}

async function referenceFor(
  deps: CoordinatorDeps,
  approval: ApprovalRecord | null,
): Promise<Partial<ConversationReference> | null> {
  if (approval?.runReference) return JSON.parse(approval.runReference) as Partial<ConversationReference>;
  const admin = await deps.store.conversations.getReference(deps.channelKey);
  return admin && !admin.removedAt ? admin.reference : null;
}

/** Why a run cannot resume under its approval, or null when it can. */
function whyNot(deps: CoordinatorDeps, approval: ApprovalRecord | null, plan: Plan | null): string | null {
  if (!plan) return 'it was started before saved plans, so hybridops cannot tell what it had left to do';
  if (!approval) return 'its approval could not be found';
  if (approval.state !== 'approved') return `its approval is ${approval.state}`;
  const decidedAt = Date.parse(approval.decidedAt ?? approval.createdAt);
  if (deps.clock.now().getTime() - decidedAt > deps.approvalMinutes * 60_000)
    return `its approval is older than ${deps.approvalMinutes} minutes`;
  return null;
}

/** Decides what to do with one unfinished run. */
export async function recoveryOf(deps: CoordinatorDeps, run: RunRecord): Promise<Recovery> {
  const approval = await deps.store.approvals.findApprovalByRun(run.id);
  const plan = await deps.store.runs.getRunPlan(run.id).catch(() => null);
  const reference = await referenceFor(deps, approval);
  const reason = whyNot(deps, approval, plan);
  if (reason || !approval || !plan || !reference) {
    const why = reason ?? 'the conversation it was posted in is not known';
    return { kind: 'interrupt', run, reason: why, plan, approval, reference };
  }
  return { kind: 'resume', run, plan, approval, reference };
}

/** Marks the run interrupted with the reason, updates its frozen card and tells the channel. */
export async function interruptRecovered(
  deps: CoordinatorDeps,
  recovery: Extract<Recovery, { kind: 'interrupt' }>,
  log: Logger,
): Promise<void> {
  const { run, plan, approval, reference } = recovery;
  const reason = `hybridops stopped during the run and did not resume it: ${recovery.reason}. Plan again to see what is left.`;
  await interruptRun(
    {
      runbook: getRunbook(run.runbook),
      inputs: JSON.parse(run.inputs) as RunbookInputs,
      target: run.target,
      requestedBy: 'hybridops',
      approvedBy: run.approvedBy,
    },
    { ems: deps.ems, graph: deps.graph, clock: deps.clock, store: deps.store.runs },
    run.id,
    reason,
  );
  if (!reference) return;
  if (approval?.runMessageId && plan) {
    const steps = await deps.store.runs.listSteps(run.id);
    const view = journaledRunView(runViewOf(plan, approval), run.id, steps);
    await deps.poster
      .update(reference, approval.runMessageId, runCard({ ...view, state: 'interrupted', error: reason }))
      .catch((error: unknown) => log.warn({ err: error }, 'could not update the interrupted run card'));
  }
  await deps.poster.post(
    reference,
    infoCard('Run interrupted', [`Run ${run.id.slice(0, 8)} (${run.runbook}) was interrupted: ${reason}`]),
  );
}
