/** The teams-ai Application with every route, over the given adapter. */
import { Application, type TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { BotAdapter } from 'botbuilder';
import { errorMessage } from '../core/errors';
import { errorCard } from './cards/message-cards';
import { nextStepFor } from './next-steps';
import { recordPlanCards } from './plan-cards';
import { cardActivity } from './poster';
import { registerAlertRoutes } from './routes/alert-routes';
import { registerCardRoutes } from './routes/card-routes';
import { registerCommandButtons } from './routes/command-buttons';
import { registerCommandRoutes } from './routes/commands';
import { registerInstallRoutes } from './routes/install';
import { registerInvokeGate } from './routes/invoke-gate';
import { registerPs1Export } from './routes/ps1-export';
import type { BotServices } from './services';
import { turnLogger } from './turn-logger';

/**
 * Builds the bot. The adapter is a TeamsAdapter in production and the lab, a TestAdapter in tests. With many
 * orgs there is one bot per org on one adapter: only the first adds the adapter's middleware (plan cards
 * recorded, turns counted), once for all (`adapterMiddleware`).
 */
export function createBot(
  services: BotServices,
  adapter?: BotAdapter,
  botAppId?: string,
  options: { readonly adapterMiddleware?: boolean } = {},
): Application<TurnState> {
  const app = new Application<TurnState>({
    ...(adapter ? { adapter: adapter as TeamsAdapter } : {}),
    ...(botAppId ? { botAppId } : {}),
    removeRecipientMention: true,
    // The typing timer is one field shared by concurrent turns; cards answer fast enough without it.
    startTypingTimer: false,
    longRunningMessages: false,
    turnStateFactory: () => new TurnState(),
  });
  // Every plan card the bot sends, in a turn or proactively, has its message id recorded.
  if (options.adapterMiddleware !== false) {
    adapter?.use(recordPlanCards(services.store.plans, services.logger));
    // Approved runs start once the clicks and messages in flight are answered (one gauge for every org's runs).
    adapter?.use(services.coordinator.turns.middleware());
  }
  registerInvokeGate(app, services);
  // Card routes first: an Action.Submit fallback is a message activity with a value and no text.
  registerCardRoutes(app, services);
  registerAlertRoutes(app, services);
  registerCommandButtons(app, services);
  registerPs1Export(app, services);
  registerInstallRoutes(app, services);
  registerCommandRoutes(app, services);
  app.error(async (context, error) => {
    turnLogger(context, services.logger).error({ err: error }, 'turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity(
        cardActivity(
          errorCard(
            'Something went wrong',
            errorMessage(error),
            nextStepFor(error, 'Nothing was run. Try again in a moment.'),
          ),
        ),
      );
    }
  });
  return app;
}
