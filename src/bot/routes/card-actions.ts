/** Card actions: request, refresh, approve, reject. Only the id in the data is read; the server decides the rest. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { type ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { Plan } from '../../core/plan';
import type { RunbookInputs } from '../../runbooks';
import type { ApprovalRecord } from '../../store/bot-repositories';
import { authorize } from '../access';
import { type Caller, callerOf } from '../caller';
import { type ApprovalView, approvalCard, REASON_INPUT } from '../cards/approval-card';
import { type Tone, VERBS, type Verb } from '../cards/elements';
import { refusalCard } from '../cards/message-cards';
import { planCard } from '../cards/plan-card';
import { historyPageCard, historyQuery } from '../commands/history';
import { inputFacts } from '../inputs';
import { actorOf } from '../run-coordinator';
import type { BotServices } from '../services';
import { rememberUser } from './install';

/** What an action answers: the card for the clicker, whether everyone's copy changes, and work to start after. */
export interface ActionAnswer {
  readonly card: AdaptiveCard;
  /** True when the card in the conversation is replaced for everyone, not only the clicker. */
  readonly updateAll: boolean;
  /**
   * The bot's own card this answer replaces, as the store knows it (never the invoke's `replyToId`): the
   * plan card turned approval card. None: the answer goes to the clicker only.
   */
  readonly messageId?: string | null;
  /** Set when nothing happened; the reason is on the card too. */
  readonly refused?: string;
  /** Answer the click with this message instead, leaving the clicker's card as it is. */
  readonly message?: string;
  readonly after?: (reference: Partial<ConversationReference>, log: Logger) => void;
}

/** What card actions use of the bot's services. */
export type CardServices = Pick<
  BotServices,
  'policy' | 'clock' | 'store' | 'approvals' | 'coordinator' | 'poster' | 'userIds' | 'userNames' | 'scope'
>;

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const idFrom = (data: unknown, key: string): string | null => {
  const value = (data as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' && ID.test(value) ? value : null;
};
const refuse = (message: string): ActionAnswer => ({
  card: refusalCard(message),
  updateAll: false,
  refused: message,
});

async function audit(
  services: CardServices,
  caller: Caller,
  action: string,
  detail: string,
  outcome: string,
): Promise<void> {
  await services.store.runs.appendAudit({
    at: services.clock.now().toISOString(),
    actor: actorOf(caller.name, caller.aadObjectId),
    action,
    runId: null,
    runbook: null,
    target: services.scope,
    detail,
    outcome,
    durationMs: null,
  });
}

async function planOf(services: CardServices, approval: ApprovalRecord): Promise<Plan> {
  const record = await services.store.plans.getPlan(approval.planId);
  if (!record) throw new Error(`Plan ${approval.planId} of approval ${approval.id} is missing.`);
  return record.plan;
}

function viewFor(approval: ApprovalRecord, caller: Caller): ApprovalView {
  const id = caller.aadObjectId ?? '';
  return approval.approvers.includes(id) && id !== approval.requester ? 'approver' : 'readOnly';
}

/** Builds the approval card a caller should see, for the approval's plan. */
function approvalCardWith(
  services: CardServices,
  approval: ApprovalRecord,
  plan: Plan,
  caller: Caller,
  notice?: { text: string; tone: Tone },
): AdaptiveCard {
  const refreshUserIds = approval.approvers
    .map((aad) => services.userIds.get(aad))
    .filter((id): id is string => Boolean(id));
  return approvalCard(approval, plan, {
    view: viewFor(approval, caller),
    now: services.clock.now(),
    refreshUserIds,
    names: services.userNames,
    ...(notice ? { notice } : {}),
  });
}

/** Builds the approval card a caller should see. */
export async function approvalCardFor(
  services: CardServices,
  approval: ApprovalRecord,
  caller: Caller,
  notice?: { text: string; tone: Tone },
): Promise<AdaptiveCard> {
  return approvalCardWith(services, approval, await planOf(services, approval), caller, notice);
}

async function requestApproval(services: CardServices, caller: Caller, data: unknown): Promise<ActionAnswer> {
  const planId = idFrom(data, 'planId');
  if (!planId) return refuse('That card action carries no valid plan id. Nothing was requested.');
  const decision = authorize(caller, services.policy, 'operator', ['adminChannel']);
  if (!decision.ok) return refuse(decision.message);
  // The card to turn into the approval card is the one the bot posted for this plan, whatever the invoke names.
  const planCardId = await services.store.plans.getPlanCard(planId);
  const outcome = await services.approvals.request(planId, caller, planCardId);
  if (outcome.kind === 'refused') {
    await audit(services, caller, 'approval.request.refused', `plan ${planId}`, outcome.reason);
    const record = await services.store.plans.getPlan(planId);
    if (!record) return refuse(outcome.message);
    return {
      card: planCard(
        record.plan,
        planId,
        inputFacts(JSON.parse(record.inputs) as RunbookInputs),
        undefined,
        outcome.message,
      ),
      updateAll: false,
      refused: outcome.message,
    };
  }
  if (outcome.fresh)
    await audit(
      services,
      caller,
      'approval.requested',
      `approval ${outcome.approval.id} for plan ${planId} (hash ${outcome.approval.planHash})`,
      'pending',
    );
  return {
    card: await approvalCardFor(services, outcome.approval, caller),
    updateAll: true,
    messageId: outcome.approval.messageId,
  };
}

/** An approval card's own view for the caller: only in the admin channel, and only of an approval made there. */
async function refreshApproval(services: CardServices, caller: Caller, data: unknown): Promise<ActionAnswer> {
  const place = authorize(caller, services.policy, 'anyone', ['adminChannel']);
  if (!place.ok) return refuse(place.message);
  const approvalId = idFrom(data, 'approvalId');
  const approval = approvalId ? await services.store.approvals.getApproval(approvalId) : null;
  if (!approval || !sameConversation(approval.conversationId, caller.conversationId))
    return refuse('I have no such approval.');
  return { card: await approvalCardFor(services, approval, caller), updateAll: false };
}

/** Whether two conversation ids name the same channel (a channel message's id adds `;messageid=…`). */
function sameConversation(a: string, b: string): boolean {
  return a.split(';')[0] === b.split(';')[0];
}

async function decide(
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
      return { ...refuse(outcome.message), message: outcome.message };
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

/** The history card's "More": the next page, for the clicker alone, with the same rights as typing `history`. */
async function historyPage(services: CardServices, caller: Caller, data: unknown): Promise<ActionAnswer> {
  const access = authorize(caller, services.policy, 'member', ['adminChannel', 'personal']);
  if (!access.ok) return refuse(access.message);
  const record = (data ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
  const query = historyQuery(text('run'), text('page'));
  if (!query) return refuse('That card action carries no valid page. Type history.');
  return { card: await historyPageCard(services.store.runs, query.run, query.page), updateAll: false };
}

/** Runs a card action for the caller of this turn. */
export async function answerCardAction(
  context: TurnContext,
  services: CardServices,
  verb: Verb,
  data: unknown,
): Promise<ActionAnswer> {
  const caller = callerOf(context.activity);
  rememberUser(services, caller);
  return answerCardActionFor(caller, services, verb, data);
}

/** Runs a card action for `caller` (the clicker, or in the lab the simulated person a command acts as). */
export async function answerCardActionFor(
  caller: Caller,
  services: CardServices,
  verb: Verb,
  data: unknown,
): Promise<ActionAnswer> {
  switch (verb) {
    case VERBS.requestApproval:
      return requestApproval(services, caller, data);
    case VERBS.refreshApproval:
      return refreshApproval(services, caller, data);
    case VERBS.approve:
      return decide(services, caller, data, 'approve');
    case VERBS.reject:
      return decide(services, caller, data, 'reject');
    case VERBS.historyPage:
      return historyPage(services, caller, data);
  }
}

/** The conversation to post a run's progress to: this conversation, as a fresh reference. */
export function replyReference(context: TurnContext): Partial<ConversationReference> {
  return { ...TurnContext.getConversationReference(context.activity), activityId: undefined };
}
