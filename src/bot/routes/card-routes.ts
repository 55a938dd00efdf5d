/** Registers the card verbs as Action.Execute (universal action) routes and their Action.Submit fallbacks. */
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { errorMessage } from '../../core/errors';
import { VERBS, type Verb } from '../cards/elements';
import { errorCard } from '../cards/message-cards';
import { nextStepFor } from '../next-steps';
import { cardActivity } from '../poster';
import type { BotServices } from '../services';
import { turnLogger } from '../turn-logger';
import type { ActionAnswer, CardServices } from './action-answers';
import { answerCardAction, replyReference } from './card-actions';

/**
 * Keeps the invoke answer for the clicker alone. teams-ai answers an Action.Execute with the returned card, but
 * replaces the message for everyone too whenever that card has a `refresh` (and, from then on, for every answer
 * on that verb). An approval card carries `refresh` so each approver gets their own view, so that replacement is
 * dropped here; a change meant for everyone was made by the route already.
 */
function keepAnswerForClicker(context: TurnContext): void {
  const messageId = context.activity.replyToId;
  context.onUpdateActivity(async (_context, activity, next) => {
    if (activity.id !== messageId) await next();
  });
}

/** Runs `work` once the invoke answer has gone out, so the clicker sees it before the work starts. */
function afterAnswer(context: TurnContext, work: () => void): void {
  context.onSendActivities(async (_context, activities, next) => {
    const sent = await next();
    if (activities.some((activity) => activity.type === ActivityTypes.InvokeResponse)) work();
    return sent;
  });
}

async function safely(
  context: TurnContext,
  services: CardServices & Pick<BotServices, 'logger'>,
  verb: Verb,
  data: unknown,
): Promise<ActionAnswer> {
  try {
    return await answerCardAction(context, services, verb, data);
  } catch (error) {
    turnLogger(context, services.logger).error({ err: error, verb }, 'card action failed');
    return {
      card: errorCard(
        'That did not work',
        errorMessage(error),
        nextStepFor(error, 'Nothing was run. Try again, or plan again.'),
      ),
      updateAll: false,
      refused: 'error',
    };
  }
}

/** Registers every verb. */
export function registerCardRoutes(app: Application<TurnState>, services: BotServices): void {
  for (const verb of Object.values(VERBS)) {
    app.adaptiveCards.actionExecute(verb, async (context, _state, data): Promise<AdaptiveCard | string> => {
      const answer = await safely(context, services, verb, data);
      if (answer.updateAll && answer.messageId) {
        await context.updateActivity({ ...cardActivity(answer.card), id: answer.messageId });
      }
      keepAnswerForClicker(context);
      const after = answer.after;
      if (after)
        afterAnswer(context, () => after(replyReference(context), turnLogger(context, services.logger)));
      return answer.message ?? answer.card;
    });
    app.adaptiveCards.actionSubmit(verb, async (context, _state, data) => {
      const answer = await safely(context, services, verb, data);
      if (!answer.refused && answer.messageId && verb !== VERBS.refreshApproval) {
        await context.updateActivity({ ...cardActivity(answer.card), id: answer.messageId });
      } else {
        await context.sendActivity(cardActivity(answer.card));
      }
      answer.after?.(replyReference(context), turnLogger(context, services.logger));
    });
  }
}
