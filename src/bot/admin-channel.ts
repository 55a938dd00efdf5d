/** The keys admin channels' conversation references are stored under. */

/** The key of the admin channel of a bot that serves one org from its environment settings. */
export const ADMIN_CHANNEL = 'admin-channel';

/** The key of an org's admin channel when the bot serves the orgs of an orgs file. */
export const adminChannelKeyOf = (orgId: string): string => `${ADMIN_CHANNEL}:${orgId}`;

/** The stored key of the admin channel a conversation id belongs to (`19:…;messageid=…`), if it is one. */
export function channelKeyFor(
  adminChannels: ReadonlyMap<string, string>,
  conversationId: string,
): string | null {
  return adminChannels.get(conversationId.split(';')[0] ?? '') ?? null;
}
