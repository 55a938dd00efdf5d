/**
 * The check before a run (the engine's start probe re-reads the org, up to half a minute on a slow org): a card
 * says so at once, names how to cancel, and is updated in place with how the check ended.
 */
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { Plan } from '../../core/plan';
import type { ApprovalRecord } from '../../store/bot-repositories';
import { shortId } from '../cards/elements';
import { actorName } from '../cards/history-card';
import { infoCard } from '../cards/message-cards';
import type { ActiveRun, CoordinatorDeps } from './types';

const ENDED: Record<'ran' | 'stale' | 'cancelled', string> = {
  ran: 'The org still matches the approved plan: the run card below follows its steps.',
  stale: 'The org changed since the plan was approved: nothing was run (see below).',
  cancelled: 'Cancelled during the check: nothing was changed.',
};

/** Posts the check's card and marks the run as checking; `end` updates the card with how it ended. */
export async function startCheck(
  deps: Pick<CoordinatorDeps, 'poster' | 'clock'>,
  approval: ApprovalRecord,
  plan: Plan,
  reference: Partial<ConversationReference>,
  entry: ActiveRun,
  log: Pick<Logger, 'warn'>,
): Promise<{ end(kind: keyof typeof ENDED): Promise<void> }> {
  entry.phase = 'checking';
  entry.since = deps.clock.now().toISOString();
  const title = `Checking the org before the run: ${plan.title}`;
  const id = shortId(approval.id);
  const messageId = await deps.poster
    .post(
      reference,
      infoCard(title, [
        `Re-reading what the plan read, to confirm it still holds before anything changes. Type \`cancel ${id}\` to stop it.`,
      ]),
    )
    .catch((error: unknown) => {
      log.warn({ err: error }, 'could not post the check card');
      return null;
    });
  return {
    async end(kind) {
      if (!messageId) return;
      const by = kind === 'cancelled' && entry.cancelledBy ? ` By ${actorName(entry.cancelledBy)}.` : '';
      await deps.poster
        .update(reference, messageId, infoCard(`Checked the org: ${plan.title}`, [`${ENDED[kind]}${by}`]))
        .catch((error: unknown) => log.warn({ err: error }, 'could not update the check card'));
    },
  };
}

/** A run cancelled during its check: the approval is closed, and nothing ran. */
export async function cancelledInCheck(
  deps: Pick<CoordinatorDeps, 'store' | 'clock'>,
  approval: ApprovalRecord,
  entry: ActiveRun,
): Promise<void> {
  await deps.store.approvals.closeApproval(
    approval.id,
    'cancelled',
    `cancelled by ${entry.cancelledBy ?? 'someone'} during the check before the run`,
    deps.clock.now().toISOString(),
  );
}
