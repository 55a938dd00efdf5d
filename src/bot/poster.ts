/** Posting and updating messages outside a turn (proactively), through the adapter, with retries. */

import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { Activity, BotAdapter, ConversationReference } from 'botbuilder';
import { CardFactory, MessageFactory } from 'botbuilder';
import { type DeliveryOptions, deliver } from './delivery';

/** Where long-running work posts: the narrow interface the coordinator and the notifier use. */
export interface Poster {
  /** Posts a card in the conversation; resolves with the new message id. */
  post(reference: Partial<ConversationReference>, card: AdaptiveCard): Promise<string>;
  /** Replaces a message's card for everyone. */
  update(reference: Partial<ConversationReference>, messageId: string, card: AdaptiveCard): Promise<void>;
}

/** A card as a message activity. */
export function cardActivity(card: AdaptiveCard): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/** The Poster over a bot adapter's continueConversationAsync. */
export function createAdapterPoster(adapter: BotAdapter, appId: string, delivery: DeliveryOptions): Poster {
  const within = <T>(
    reference: Partial<ConversationReference>,
    work: (
      send: (a: Partial<Activity>) => Promise<T>,
      update: (a: Partial<Activity>) => Promise<void>,
    ) => Promise<T>,
  ) =>
    deliver(async () => {
      let result: T | undefined;
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        result = await work(
          async (activity) => (await context.sendActivity(activity))?.id as T,
          async (activity) => {
            await context.updateActivity(activity);
          },
        );
      });
      return result as T;
    }, delivery);
  return {
    post: (reference, card) =>
      within<string>(reference, async (send) => (await send(cardActivity(card))) ?? ''),
    update: (reference, messageId, card) =>
      within<void>(reference, async (_send, update) => {
        await update({ ...cardActivity(card), id: messageId });
      }),
  };
}
