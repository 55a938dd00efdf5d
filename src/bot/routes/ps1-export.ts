/**
 * "Export as .ps1" on a plan card: the whole saved plan as one PowerShell script (EMS commands as rendered, Graph
 * steps as Microsoft Graph PowerShell, each step's title and article as a comment), posted as a card to copy from.
 * The card sends only the plan id; the script comes from the stored plan.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import { planScript } from '../../engine/operations/ps1';
import { authorize } from '../access';
import { callerOf } from '../caller';
import { card, code, heading, shortId, text } from '../cards/elements';
import { EXPORT_PS1_VERB } from '../cards/next-step-buttons';
import { cardActivity } from '../poster';
import type { BotServices } from '../services';
import { turnLogger } from '../turn-logger';
import { replyReference } from './card-actions';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function scriptCard(services: Pick<BotServices, 'store'>, data: unknown) {
  const planId = (data as Record<string, unknown> | null)?.planId;
  const saved =
    typeof planId === 'string' && ID.test(planId) ? await services.store.plans.getPlan(planId) : null;
  if (!saved)
    return card([...heading('No such plan', 'I have no plan with that id; plan again.', 'warning')]);
  const script = planScript(saved.plan);
  return card([
    ...heading(`PowerShell of plan ${shortId(saved.id)}`, saved.plan.title),
    text('Save it as a .ps1 file; it parses in Windows PowerShell 5.1 and the Exchange Management Shell.', {
      size: 'Small',
      isSubtle: true,
    }),
    code(script),
  ]);
}

/** Registers the export button (Action.Execute and its Action.Submit fallback). */
export function registerPs1Export(app: Application<TurnState>, services: BotServices): void {
  const allowed = (context: Parameters<typeof callerOf>[0]) =>
    authorize(callerOf(context), services.policy, 'member', ['adminChannel', 'personal']);
  app.adaptiveCards.actionExecute(EXPORT_PS1_VERB, async (context, _state, data) => {
    const access = allowed(context.activity);
    if (!access.ok) return access.message;
    const reference = replyReference(context);
    const log = turnLogger(context, services.logger);
    context.onSendActivities(async (_context, activities, next) => {
      const sent = await next();
      if (activities.some((activity) => activity.type === ActivityTypes.InvokeResponse)) {
        void scriptCard(services, data)
          .then((answer) => services.poster.post(reference, answer))
          .catch((error: unknown) => log.error({ err: error }, 'exporting the plan failed'));
      }
      return sent;
    });
    return 'Posting the plan as PowerShell below.';
  });
  app.adaptiveCards.actionSubmit(EXPORT_PS1_VERB, async (context, _state, data) => {
    const access = allowed(context.activity);
    if (!access.ok) return;
    await context.sendActivity(cardActivity(await scriptCard(services, data)));
  });
}
