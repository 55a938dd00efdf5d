/** Installation: keeps the admin channel's conversation reference durably, so posts work after restarts. */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { type ConversationReference, TurnContext } from 'botbuilder';
import type { Caller } from '../caller';
import { callerOf } from '../caller';
import { infoCard } from '../cards/message-cards';
import { cardActivity } from '../poster';
import type { BotServices } from '../services';
import { turnLogger } from '../turn-logger';

/** Remembers the Teams user id and display name of an Entra object id, to address and name approvers. */
export function rememberUser(services: Pick<BotServices, 'userIds' | 'userNames'>, caller: Caller): void {
  if (caller.aadObjectId && caller.userId) services.userIds.set(caller.aadObjectId, caller.userId);
  if (caller.aadObjectId && caller.name)
    services.userNames.set(caller.aadObjectId.toLowerCase(), caller.name);
}

/** The admin channel's reference, derived from any activity in the admin team. */
export function adminChannelReference(
  context: TurnContext,
  services: Pick<BotServices, 'policy'>,
): Partial<ConversationReference> {
  const reference = TurnContext.getConversationReference(context.activity);
  return {
    ...reference,
    activityId: undefined,
    conversation: {
      id: services.policy.adminChannelId,
      isGroup: true,
      conversationType: 'channel',
      tenantId: services.policy.tenantId,
      name: '',
    },
  };
}

/** Stores the admin channel's reference when the activity comes from the admin team. */
export async function rememberAdminChannel(
  context: TurnContext,
  services: Pick<BotServices, 'policy' | 'store' | 'clock' | 'channelKey'>,
  how: 'save' | 'refresh' = 'save',
): Promise<boolean> {
  const caller = callerOf(context.activity);
  if (caller.teamId !== services.policy.adminTeamId || caller.tenantId !== services.policy.tenantId)
    return false;
  // An installation saves it; every message refreshes it, which asks the database at most once a minute.
  const { conversations } = services.store;
  const reference = adminChannelReference(context, services);
  const at = services.clock.now().toISOString();
  if (how === 'save') await conversations.saveReference(services.channelKey, reference, at);
  else await conversations.refreshReference(services.channelKey, reference, at);
  return true;
}

const botIsIn = (context: TurnContext, members: readonly { id: string }[] | undefined) =>
  (members ?? []).some((member) => member.id === context.activity.recipient?.id);

/**
 * What an installation or membership activity means for one org's admin channel: its reference stored (the app
 * was added to the admin team), forgotten (removed from it), or nothing. Every org in that team follows it.
 */
export async function followInstallation(
  context: TurnContext,
  services: Pick<BotServices, 'policy' | 'store' | 'clock' | 'channelKey'>,
): Promise<'stored' | 'removed' | null> {
  const { activity } = context;
  const inTeam = callerOf(activity).teamId === services.policy.adminTeamId;
  const forget = async () => {
    if (!inTeam) return null;
    await services.store.conversations.markReferenceRemoved(
      services.channelKey,
      services.clock.now().toISOString(),
    );
    return 'removed' as const;
  };
  const remember = async () => ((await rememberAdminChannel(context, services)) ? ('stored' as const) : null);
  if (activity.type === 'installationUpdate')
    return String(activity.action ?? '').startsWith('remove') ? forget() : remember();
  if (activity.type !== 'conversationUpdate') return null;
  if (botIsIn(context, activity.membersAdded)) return remember();
  if (botIsIn(context, activity.membersRemoved)) return forget();
  return null;
}

/** Registers installation and membership routes. */
export function registerInstallRoutes(app: Application<TurnState>, services: BotServices): void {
  app.activity('installationUpdate', async (context) => {
    const outcome = await followInstallation(context, services);
    if (outcome === 'removed')
      turnLogger(context, services.logger).warn(
        'hybridops was removed from the admin team; proactive posts stop until it is added again',
      );
    if (outcome === 'stored')
      turnLogger(context, services.logger).info('admin channel reference stored on installation');
  });
  app.conversationUpdate('membersAdded', async (context) => {
    if ((await followInstallation(context, services)) !== 'stored') return;
    await context.sendActivity(
      cardActivity(
        infoCard('hybridops is ready', [
          'Mention me with help in the admin channel to see what I can do. Runs and alerts are posted in the admin channel.',
        ]),
      ),
    );
  });
  app.conversationUpdate('membersRemoved', async (context) => {
    await followInstallation(context, services);
  });
}
