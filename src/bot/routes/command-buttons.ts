/**
 * Next-step buttons: a button carries the command an admin would type (`plan teams domain=… dc=… appaccount=no`)
 * and clicking it runs exactly what typing it runs — the same place checks, parsing, role and handler, as the
 * clicker. The text is no more trusted than a typed message: a tampered command is just another command the
 * clicker could have typed, and is judged the same way.
 */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import { COMMAND_VERB } from '../cards/next-step-buttons';
import { MAX_MESSAGE_CHARS } from '../commands/parse';
import type { BotServices } from '../services';
import { turnLogger } from '../turn-logger';
import { replyReference } from './card-actions';
import { handleCommandText } from './commands';
import { conversationSurface, turnSurface } from './progress';

const commandOf = (data: unknown): string | null => {
  const value = (data as Record<string, unknown> | null)?.command;
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_MESSAGE_CHARS ? value : null;
};

/** Registers the command button (Action.Execute, and its Action.Submit fallback). */
export function registerCommandButtons(app: Application<TurnState>, services: BotServices): void {
  app.adaptiveCards.actionExecute(COMMAND_VERB, async (context, _state, data) => {
    const command = commandOf(data);
    if (!command) return 'That button carries no command. Type the command instead.';
    const reference = replyReference(context);
    const log = turnLogger(context, services.logger);
    // The command may read the org for seconds: the click is answered at once, the answer posted when ready.
    context.onSendActivities(async (_context, activities, next) => {
      const sent = await next();
      if (activities.some((activity) => activity.type === ActivityTypes.InvokeResponse)) {
        void handleCommandText(
          context,
          services,
          command,
          conversationSurface(services.poster, reference),
        ).catch((error: unknown) => log.error({ err: error, command }, 'command button failed'));
      }
      return sent;
    });
    return `Working on: ${command}`;
  });
  app.adaptiveCards.actionSubmit(COMMAND_VERB, async (context, _state, data) => {
    const command = commandOf(data);
    if (!command) return;
    await handleCommandText(context, services, command, turnSurface(context));
  });
}
