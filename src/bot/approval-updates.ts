/** Approval cards follow their approval when it closes outside a click: withdrawn with `cancel`, or expired. */
import type { ApprovalRecord } from '../store/bot-repositories';
import { channelKeyFor } from './admin-channel';
import { approvalCard } from './cards/approval-card';
import type { BotServices } from './services';

type UpdateServices = Pick<
  BotServices,
  'store' | 'poster' | 'clock' | 'userNames' | 'logger' | 'adminChannels'
>;

/** Replaces a closed approval's card for everyone, where the bot posted it; a card it cannot reach is logged. */
export async function showClosedApproval(services: UpdateServices, approval: ApprovalRecord): Promise<void> {
  const key = channelKeyFor(services.adminChannels, approval.conversationId);
  if (!approval.messageId || !key) return;
  const [stored, saved] = await Promise.all([
    services.store.conversations.getReference(key),
    services.store.plans.getPlan(approval.planId),
  ]);
  if (!stored || stored.removedAt || !saved) return;
  const closed = approvalCard(approval, saved.plan, {
    view: 'readOnly',
    now: services.clock.now(),
    names: services.userNames,
  });
  await services.poster
    .update(stored.reference, approval.messageId, closed)
    .catch((error: unknown) =>
      services.logger.warn({ err: error, approvalId: approval.id }, 'could not update the approval card'),
    );
}

/** Expires the approvals nobody decided in time (each audited once) and shows it on their cards. */
export async function expireApprovals(
  services: UpdateServices & Pick<BotServices, 'approvals'>,
): Promise<void> {
  for (const approval of await services.approvals.expireDue()) await showClosedApproval(services, approval);
}

/** Runs expireApprovals every `intervalMs` until the returned stop is called. */
export function sweepExpiredApprovals(
  services: UpdateServices & Pick<BotServices, 'approvals'>,
  intervalMs = 60_000,
): () => void {
  const timer = setInterval(() => {
    expireApprovals(services).catch((error: unknown) =>
      services.logger.warn({ err: error }, 'could not expire approvals'),
    );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
