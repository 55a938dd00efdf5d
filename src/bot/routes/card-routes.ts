/** Registers the card verbs as Action.Execute (universal action) routes and their Action.Submit fallbacks. */
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { errorMessage } from '../../core/errors';
import { VERBS, type Verb } from '../cards/elements';
import { errorCard } from '../cards/message-cards';
import { nextStepFor } from '../next-steps';
import { cardActivity } from '../poster';
import type { BotServices } from '../services';
import { type ActionAnswer, answerCardAction, replyReference } from './card-actions';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Answers the invoke with a card for the clicker only (teams-ai would otherwise replace it for all). */
async function answerInvoke(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 200, body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } },
  });
}

async function safely(
  context: TurnContext,
  services: BotServices,
  verb: Verb,
  data: unknown,
): Promise<ActionAnswer> {
  try {
    return await answerCardAction(context, services, verb, data);
  } catch (error) {
    services.logger.error({ err: error, verb }, 'card action failed');
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
    app.adaptiveCards.actionExecute(verb, async (context, _state, data) => {
      const answer = await safely(context, services, verb, data);
      if (answer.updateAll && context.activity.replyToId) {
        await context.updateActivity({ ...cardActivity(answer.card), id: context.activity.replyToId });
      }
      await answerInvoke(context, answer.card);
      answer.after?.(replyReference(context));
      return answer.card;
    });
    app.adaptiveCards.actionSubmit(verb, async (context, _state, data) => {
      const answer = await safely(context, services, verb, data);
      const replyToId = context.activity.replyToId;
      if (!answer.refused && replyToId && verb !== VERBS.refreshApproval) {
        await context.updateActivity({ ...cardActivity(answer.card), id: replyToId });
      } else {
        await context.sendActivity(cardActivity(answer.card));
      }
      answer.after?.(replyReference(context));
    });
  }
}
