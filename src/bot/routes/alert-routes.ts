/** The alert card's buttons: Acknowledge, Snooze and Plan the fix. The card sends an alert id; the store has the rest. */
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { ALERT_VERBS } from '../../alerts/types';
import { ALERTS_ERROR_CODES, errorMessage, isCodedError } from '../../core/errors';
import { getRunbook, type RunbookInputs, validateInputs } from '../../runbooks';
import { authorize, type Role } from '../access';
import { renderAlertCard } from '../alerts/alert-card';
import { callerOf } from '../caller';
import { errorCard, refusalCard } from '../cards/message-cards';
import { planCardFor } from '../commands/change-handlers';
import { nextStepFor } from '../next-steps';
import { cardActivity } from '../poster';
import { actorOf } from '../run-coordinator';
import type { BotServices } from '../services';
import { turnLogger } from '../turn-logger';
import { auditAction } from './action-answers';
import { replyReference } from './card-actions';

const ALERT_ID = /^[A-Za-z0-9-]{1,64}$/;

/** An alert action's audit entry; its outcome is the action's verb (`alert.snoozed` → `snoozed`). */
const auditAlert = (
  services: Pick<BotServices, 'store' | 'clock' | 'scope'>,
  actor: string,
  action: string,
  detail: string,
) => auditAction(services, actor, action, detail, action.split('.')[1] ?? action);

async function handle(
  context: TurnContext,
  services: Pick<
    BotServices,
    | 'watch'
    | 'policy'
    | 'poster'
    | 'logger'
    | 'ems'
    | 'graph'
    | 'clock'
    | 'store'
    | 'target'
    | 'org'
    | 'scope'
  >,
  verb: string,
  data: Record<string, unknown>,
): Promise<AdaptiveCard> {
  const watch = services.watch;
  if (!watch)
    return errorCard(
      'Alerts are not available',
      'This bot watches no org.',
      'Configure the org to watch, then restart.',
    );
  const caller = callerOf(context.activity);
  const role: Role = verb === ALERT_VERBS.planFix ? 'operator' : 'member';
  const access = authorize(caller, services.policy, role, ['adminChannel']);
  if (!access.ok) return refusalCard(access.message);
  const alertId = typeof data.alertId === 'string' && ALERT_ID.test(data.alertId) ? data.alertId : null;
  const alert = alertId ? await watch.alerts.alert(alertId) : null;
  if (!alert) return refusalCard('I have no such alert. Nothing was changed.');
  if (services.org && alert.card.orgId !== services.org.id)
    return refusalCard(
      `That alert is about ${alert.card.orgName}: act on it in that org's admin channel. Nothing was changed.`,
    );
  const actor = actorOf(caller.name, caller.aadObjectId);
  try {
    if (verb === ALERT_VERBS.acknowledge) {
      const card = await watch.watch.acknowledge(alert.id, caller.name);
      await auditAlert(services, actor, 'alert.acknowledged', `${alert.id}: ${alert.card.title}`);
      return renderAlertCard(card);
    }
    if (verb === ALERT_VERBS.snooze) {
      const days = Number(data.days);
      const card = await watch.watch.snooze(alert.id, days, caller.name);
      await auditAlert(
        services,
        actor,
        'alert.snoozed',
        `${alert.id}: ${alert.card.title}; for ${days} day(s)`,
      );
      return renderAlertCard(card);
    }
  } catch (error) {
    if (isCodedError(error, ...ALERTS_ERROR_CODES))
      return errorCard(
        'That did not change the alert',
        error.message,
        nextStepFor(error, 'Use the buttons.'),
      );
    throw error;
  }
  // Plan the fix: the runbook and inputs come from the stored alert, never from the clicked card.
  const fix = alert.card.actions.planFix?.data as
    | { runbook?: string; runbooks?: readonly string[]; inputs?: RunbookInputs }
    | undefined;
  if (!fix?.runbook || !fix.inputs) return refusalCard('This alert has no fix to plan.');
  // The card may name which of the alert's fixes; only one the stored alert lists is planned.
  const chosen =
    typeof data.runbook === 'string' && fix.runbooks?.includes(data.runbook) ? data.runbook : null;
  const runbook = getRunbook(chosen ?? fix.runbook);
  const inputs = validateInputs(runbook, fix.inputs);
  const reference = replyReference(context);
  const log = turnLogger(context, services.logger);
  void planCardFor(services, runbook, inputs, caller.name, caller.conversationId)
    .then((card) => services.poster.post(reference, card))
    .catch((error: unknown) => {
      log.error({ err: error, actor }, 'planning the fix failed');
      return services.poster.post(
        reference,
        errorCard(
          'Planning the fix failed',
          errorMessage(error),
          nextStepFor(error, 'Type plan with the runbook to try again.'),
        ),
      );
    });
  return renderAlertCard(alert.card);
}

/** Registers the alert verbs (Action.Execute and their Action.Submit fallbacks). */
export function registerAlertRoutes(app: Application<TurnState>, services: BotServices): void {
  for (const verb of Object.values(ALERT_VERBS)) {
    // teams-ai sends the returned card as the invoke answer, for the clicker.
    app.adaptiveCards.actionExecute(verb, async (context, _state, data: Record<string, unknown>) =>
      handle(context, services, verb, data ?? {}),
    );
    app.adaptiveCards.actionSubmit(verb, async (context, _state, data: Record<string, unknown>) => {
      await context.sendActivity(cardActivity(await handle(context, services, verb, data ?? {})));
    });
  }
}
