/** The approve and reject buttons: one decision per approval, the clicker's answer, and what follows it. */
import type { Plan } from '../../core/plan';
import type { ApprovalRecord } from '../../store/bot-repositories';
import { authorize } from '../access';
import type { Caller } from '../caller';
import { REASON_INPUT } from '../cards/approval-card';
import {
  type ActionAnswer,
  approvalCardFor,
  approvalCardWith,
  audit,
  type CardServices,
  idFrom,
  planOf,
  refuse,
  refuseWithMessage,
} from './action-answers';

/** Approves or rejects for the caller: the first eligible click decides; every other click changes nothing. */
export async function decide(
  services: CardServices,
  caller: Caller,
  data: unknown,
  decision: 'approve' | 'reject',
): Promise<ActionAnswer> {
  const approvalId = idFrom(data, 'approvalId');
  if (!approvalId) {
    await audit(services, caller, `approval.${decision}.refused`, 'malformed card data', 'tampered');
    return refuse('That card action carries no valid approval id. Nothing was run.');
  }
  const access = authorize(caller, services.policy, 'approver', ['adminChannel']);
  const existing = await services.approvals.read(approvalId);
  if (!access.ok) {
    await audit(services, caller, `approval.${decision}.refused`, `approval ${approvalId}`, access.reason);
    return existing && access.reason === 'notApprover'
      ? {
          card: await approvalCardFor(services, existing, caller, { text: access.message, tone: 'warning' }),
          updateAll: false,
          refused: access.message,
        }
      : refuse(access.message);
  }
  // Read before anything is decided: a plan that can no longer be read is never approved (CORRUPT_PLAN). A
  // decided approval is refused below whatever its plan, so its plan is not read.
  const plan = existing?.state === 'pending' ? await planOf(services, existing) : null;
  const outcome = await services.approvals.decide(
    approvalId,
    caller,
    decision,
    reasonFrom(data, decision),
    existing,
  );
  if (outcome.kind === 'refused') {
    // Someone decided first: say so, and leave the card, which shows the decision to everyone once updated. The
    // decider's own repeats are not audited; anyone else's first late click is.
    if (outcome.reason === 'alreadyDecided' && outcome.approval) {
      if (services.approvals.recent.firstRefusal(outcome.approval, caller.aadObjectId ?? ''))
        await audit(
          services,
          caller,
          `approval.${decision}.refused`,
          `approval ${approvalId}`,
          outcome.reason,
        );
      return refuseWithMessage(outcome.message);
    }
    await audit(services, caller, `approval.${decision}.refused`, `approval ${approvalId}`, outcome.reason);
    const shown = outcome.approval ? (plan ?? (await planOf(services, outcome.approval))) : null;
    return outcome.approval && shown
      ? {
          card: approvalCardWith(services, outcome.approval, shown, caller, {
            text: outcome.message,
            tone: 'warning',
          }),
          updateAll: false,
          refused: outcome.message,
        }
      : refuse(outcome.message);
  }
  await audit(
    services,
    caller,
    `approval.${outcome.kind}`,
    `approval ${outcome.approval.id} (plan hash ${outcome.approval.planHash})${outcome.approval.reason ? `; reason: ${outcome.approval.reason}` : ''}`,
    outcome.kind,
  );
  return decided(services, caller, outcome, plan ?? (await planOf(services, outcome.approval)));
}

/** A rejection's reason as typed on the card (trimmed, at most 500 characters); approvals take none. */
function reasonFrom(data: unknown, decision: 'approve' | 'reject'): string | null {
  const value = (data as Record<string, unknown> | null)?.[REASON_INPUT];
  if (decision !== 'reject' || typeof value !== 'string') return null;
  const reason = value.replace(/\s+/g, ' ').trim().slice(0, 500);
  return reason || null;
}

/** The decision as the clicker sees it; everyone's copy is updated, and an approved run starts, after the answer. */
function decided(
  services: CardServices,
  caller: Caller,
  outcome: { readonly kind: 'approved' | 'rejected'; readonly approval: ApprovalRecord },
  plan: Plan,
): ActionAnswer {
  const { approval } = outcome;
  const notice =
    outcome.kind === 'approved' ? 'Approved: the run starts below.' : 'Rejected: nothing will run.';
  return {
    card: approvalCardWith(services, approval, plan, caller, {
      text: notice,
      tone: outcome.kind === 'approved' ? 'good' : 'attention',
    }),
    updateAll: false,
    messageId: approval.messageId,
    after: (reference, log) => {
      // Everyone's copy shows the decision once the clicks in flight are answered; the clicker has it already.
      const { messageId } = approval;
      if (messageId)
        services.coordinator.afterTurns(
          () => {
            const forEveryone = approvalCardWith(services, approval, plan, { ...caller, aadObjectId: null });
            return services.poster.update(reference, messageId, forEveryone);
          },
          log,
          'could not update the approval card for everyone',
        );
      if (outcome.kind === 'approved') void services.coordinator.start(approval, reference);
    },
  };
}
