/** What every card action shares: its answer's shape, the services it uses, refusals, audit, approval cards. */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Plan } from '../../core/plan';
import type { ApprovalRecord } from '../../store/bot-repositories';
import type { Caller } from '../caller';
import { type ApprovalView, approvalCard } from '../cards/approval-card';
import type { Tone } from '../cards/elements';
import { refusalCard } from '../cards/message-cards';
import { actorOf } from '../run-coordinator';
import type { BotServices } from '../services';

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
export const idFrom = (data: unknown, key: string): string | null => {
  const value = (data as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' && ID.test(value) ? value : null;
};
export const refuse = (message: string): ActionAnswer => ({
  card: refusalCard(message),
  updateAll: false,
  refused: message,
});

/**
 * A refusal answered with a message, leaving the clicker's card as it is (a click on a decided approval). Its
 * card is only for the Action.Submit fallback, so it is built only when that asks for it.
 */
export const refuseWithMessage = (message: string): ActionAnswer => ({
  get card() {
    return refusalCard(message);
  },
  updateAll: false,
  refused: message,
  message,
});

/** One audit log entry for a card action in this org: no run and no runbook, by `actor`. */
export async function auditAction(
  services: Pick<BotServices, 'store' | 'clock' | 'scope'>,
  actor: string,
  action: string,
  detail: string,
  outcome: string,
): Promise<void> {
  await services.store.runs.appendAudit({
    at: services.clock.now().toISOString(),
    actor,
    action,
    runId: null,
    runbook: null,
    target: services.scope,
    detail,
    outcome,
    durationMs: null,
  });
}

/** One audit log entry for the caller's card action. */
export function audit(
  services: CardServices,
  caller: Caller,
  action: string,
  detail: string,
  outcome: string,
): Promise<void> {
  return auditAction(services, actorOf(caller.name, caller.aadObjectId), action, detail, outcome);
}

export async function planOf(services: CardServices, approval: ApprovalRecord): Promise<Plan> {
  const record = await services.store.plans.getPlan(approval.planId);
  if (!record) throw new Error(`Plan ${approval.planId} of approval ${approval.id} is missing.`);
  return record.plan;
}

export function viewFor(approval: ApprovalRecord, caller: Caller): ApprovalView {
  const id = caller.aadObjectId ?? '';
  return approval.approvers.includes(id) && id !== approval.requester ? 'approver' : 'readOnly';
}

/** Builds the approval card a caller should see, for the approval's plan. */
export function approvalCardWith(
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
