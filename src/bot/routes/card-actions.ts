/** Card actions: request, refresh, approve, reject. Only the id in the data is read; the server decides the rest. */
import { type ConversationReference, TurnContext } from 'botbuilder';
import type { RunbookInputs } from '../../runbooks';
import { authorize } from '../access';
import { type Caller, callerOf } from '../caller';
import { VERBS, type Verb } from '../cards/elements';
import { planCard } from '../cards/plan-card';
import { historyPageCard, historyQuery } from '../commands/history';
import { inputFacts } from '../inputs';
import {
  type ActionAnswer,
  approvalCardFor,
  audit,
  type CardServices,
  idFrom,
  refuse,
} from './action-answers';
import { decide } from './decide-action';
import { rememberUser } from './install';

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
