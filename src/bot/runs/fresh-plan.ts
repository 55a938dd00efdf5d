/** Posting a fresh plan when an approved one no longer matches the org: before its run, or during it. */
import { randomUUID } from 'node:crypto';
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Plan } from '../../core/plan';
import type { RunbookInputs } from '../../runbooks';
import type { ApprovalRecord, SavedPlan } from '../../store/bot-repositories';
import { approvalCard } from '../cards/approval-card';
import { shortId } from '../cards/elements';
import { errorCard } from '../cards/message-cards';
import { planCard } from '../cards/plan-card';
import { inputFacts } from '../inputs';
import type { CoordinatorDeps } from './types';
import { actorOf } from './types';

/** Saves `plan` and posts its card, to be approved anew. */
export async function postFreshPlan(
  deps: Pick<CoordinatorDeps, 'store' | 'poster' | 'clock'>,
  plan: Plan,
  approval: ApprovalRecord,
  inputs: string,
  reference: Partial<ConversationReference>,
): Promise<void> {
  const planId = randomUUID();
  await deps.store.plans.savePlan({
    id: planId,
    runbook: plan.runbook,
    inputs,
    hash: plan.hash,
    plan,
    conversationId: approval.conversationId,
    createdBy: approval.requester,
    createdAt: deps.clock.now().toISOString(),
  });
  await deps.poster.post(reference, planCard(plan, planId, inputFacts(JSON.parse(inputs) as RunbookInputs)));
}

/** The org changed after approval: nothing runs, the approval is superseded, and a new plan is posted to approve. */
export async function supersede(
  deps: CoordinatorDeps,
  approval: ApprovalRecord,
  fresh: Plan,
  approved: SavedPlan,
  reference: Partial<ConversationReference>,
  log: Logger,
): Promise<void> {
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
    runbook: fresh.runbook,
    target: deps.target,
    detail: `approval ${approval.id}: approved hash ${approval.planHash}, current hash ${fresh.hash}`,
    outcome: 'not run',
    durationMs: null,
  });
  const closed = (await store.approvals.getApproval(approval.id)) ?? approval;
  if (approval.messageId) {
    await deps.poster
      .update(reference, approval.messageId, approvalCard(closed, approved.plan, { view: 'readOnly', now }))
      .catch((error: unknown) => log.warn({ err: error }, 'could not update the superseded approval card'));
  }
  await deps.poster.post(
    reference,
    errorCard(
      'Plan changed since approval: nothing was run',
      `The org no longer matches approval ${shortId(approval.id)}.`,
      'Review the new plan below and request approval again.',
    ),
  );
  await postFreshPlan(deps, fresh, approval, approved.inputs, reference);
}
