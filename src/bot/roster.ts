/** The approvers' Teams user ids, read from the admin team's roster, so approval cards can address them. */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { BotServices } from './services';
import { turnLogger } from './turn-logger';

const ROSTER_WAIT_MS = 1500;

/**
 * Learns the Teams user ids of approvers not seen yet, for an approval card's `refresh.userIds`: one bounded
 * roster read. Called in a message turn (a plan), never in an invoke, which must answer within seconds.
 */
export async function learnApproverUserIds(
  context: TurnContext,
  services: Pick<BotServices, 'policy' | 'userIds' | 'userNames' | 'logger'>,
): Promise<void> {
  if (services.policy.approvers.every((aad) => services.userIds.has(aad))) return;
  const roster = await Promise.race([
    TeamsInfo.getPagedMembers(context, 500).catch((error: unknown) => {
      turnLogger(context, services.logger).warn(
        { err: error },
        'could not read the roster to address approval cards',
      );
      return null;
    }),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), ROSTER_WAIT_MS).unref()),
  ]);
  for (const member of roster?.members ?? []) {
    if (member.aadObjectId && member.id) services.userIds.set(member.aadObjectId.toLowerCase(), member.id);
    if (member.aadObjectId && member.name)
      services.userNames.set(member.aadObjectId.toLowerCase(), member.name);
  }
}
