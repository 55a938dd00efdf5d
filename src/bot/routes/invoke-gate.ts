/** Every invoke passes the place check messages pass (tenant, team, channel) before any route sees it. */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import { checkPlace } from '../access';
import { callerOf } from '../caller';
import { refusalCard } from '../cards/message-cards';
import type { BotServices } from '../services';
import { turnLogger } from '../turn-logger';

/**
 * Registers the gate: an invoke from another tenant, another team or channel, or a group chat is answered with
 * the refusal (a card for a card action, 403 for anything else) and never reaches a route.
 */
export function registerInvokeGate(
  app: Application<TurnState>,
  services: Pick<BotServices, 'policy' | 'logger'>,
): void {
  app.turn('beforeTurn', async (context) => {
    if (context.activity.type !== ActivityTypes.Invoke) return true;
    const caller = callerOf(context.activity);
    const place = checkPlace(caller, services.policy);
    if (place.ok) return true;
    turnLogger(context, services.logger).info(
      { reason: place.reason, tenant: caller.tenantId, team: caller.teamId },
      'invoke refused',
    );
    const cardAction = context.activity.name === 'adaptiveCard/action';
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: cardAction
        ? {
            status: 200,
            body: {
              statusCode: 200,
              type: 'application/vnd.microsoft.card.adaptive',
              value: refusalCard(place.message),
            },
          }
        : { status: 403 },
    });
    return false;
  });
}
