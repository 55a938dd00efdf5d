/** The watch's Notifier: alert cards posted to the admin channel through its stored conversation reference. */
import type { AlertCard, Notifier } from '../../alerts/types';
import { CodedError, isCodedError } from '../../core/errors';
import type { Clock } from '../../core/ports';
import { channelKeyFor } from '../admin-channel';
import type { Poster } from '../poster';
import type { BotRepositories } from '../repositories';
import { renderAlertCard } from './alert-card';

/** Posts and updates alert cards in the admin channel; refuses any other channel. */
export function createAlertNotifier(deps: {
  conversations: BotRepositories['conversations'];
  poster: Poster;
  clock: Clock;
  /** Each served org's admin channel id → the key its conversation reference is stored under. */
  adminChannels: ReadonlyMap<string, string>;
}): Notifier {
  const keyOf = (channelId: string) => {
    const key = channelKeyFor(deps.adminChannels, channelId);
    if (!key)
      throw new CodedError(
        'NO_ADMIN_CHANNEL',
        `Alerts go to an org's admin channel only, not to ${channelId}.`,
      );
    return key;
  };
  const reference = async (channelId: string) => {
    const stored = await deps.conversations.getReference(keyOf(channelId));
    if (!stored || stored.removedAt) {
      throw new CodedError(
        'NO_ADMIN_CHANNEL',
        'hybridops is not installed in the admin team, so it cannot post alerts.',
      );
    }
    return stored.reference;
  };
  const removed =
    (channelId: string) =>
    async (error: unknown): Promise<never> => {
      if (isCodedError(error, 'BOT_REMOVED'))
        await deps.conversations.markReferenceRemoved(keyOf(channelId), deps.clock.now().toISOString());
      throw error;
    };
  return {
    async postAlert(channelId: string, alert: AlertCard) {
      const messageId = await deps.poster
        .post(await reference(channelId), renderAlertCard(alert))
        .catch(removed(channelId));
      return { messageId };
    },
    async updateAlert(channelId: string, messageId: string, alert: AlertCard) {
      await deps.poster
        .update(await reference(channelId), messageId, renderAlertCard(alert))
        .catch(removed(channelId));
    },
  };
}
