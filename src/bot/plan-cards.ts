/**
 * The plan cards the bot posted: each one's message id is recorded as it is sent, so that a request for
 * approval turns that card into the approval card, and never a message an invoke merely names.
 */
import type { Activity, MiddlewareHandler } from 'botbuilder';
import type { Logger } from 'pino';
import type { PlanRepository } from '../store/bot-repositories';
import { VERBS } from './cards/elements';

/** The plan id a sent card offers to request approval for, if it is a plan card with that button. */
export function planIdOffered(activity: Partial<Activity>): string | null {
  for (const attachment of activity.attachments ?? []) {
    const actions = (attachment.content as { actions?: unknown } | undefined)?.actions;
    if (!Array.isArray(actions)) continue;
    for (const action of actions as { verb?: unknown; data?: { planId?: unknown } }[]) {
      if (action.verb === VERBS.requestApproval && typeof action.data?.planId === 'string')
        return action.data.planId;
    }
  }
  return null;
}

/**
 * Adapter middleware: every turn, replies and proactive posts alike, records the message id of each plan card
 * it sends. Whatever path posts a plan card (a command's answer, an alert's "Plan the fix", a fresh plan after
 * a superseded approval), the record follows.
 */
export function recordPlanCards(
  plans: Pick<PlanRepository, 'recordPlanCard'>,
  logger: Pick<Logger, 'warn'>,
): MiddlewareHandler {
  return async (context, next) => {
    context.onSendActivities(async (_context, activities, send) => {
      const responses = await send();
      for (const [index, activity] of activities.entries()) {
        const planId = planIdOffered(activity);
        const messageId = responses[index]?.id;
        if (!planId || !messageId) continue;
        try {
          await plans.recordPlanCard(planId, messageId);
        } catch (error) {
          // The card is out; without its id, requesting approval only answers the clicker.
          logger.warn({ err: error, planId }, 'the plan card’s message id was not recorded');
        }
      }
      return responses;
    });
    // A slow plan's answer replaces its "Checking …" card: that message is the plan card from then on.
    context.onUpdateActivity(async (_context, activity, update) => {
      await update();
      const planId = planIdOffered(activity);
      if (!planId || !activity.id) return;
      await plans.recordPlanCard(planId, activity.id).catch((error: unknown) => {
        logger.warn({ err: error, planId }, 'the plan card’s message id was not recorded');
      });
    });
    await next();
  };
}
