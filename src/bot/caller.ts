/** Who sent an activity and from where, read from the Teams channel data; nothing else is trusted. */
import type { Activity } from 'botbuilder';

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

export interface Caller {
  /** Entra object id: the only identity decisions are made on. */
  readonly aadObjectId: string | null;
  /** Teams user id (MRI), used to address card refreshes. */
  readonly userId: string;
  /** Display name: shown on cards, never used to decide anything. */
  readonly name: string;
  readonly tenantId: string | null;
  readonly teamId: string | null;
  readonly channelId: string | null;
  readonly conversationId: string;
  readonly kind: ConversationKind;
}

const lower = (value: unknown): string | null =>
  typeof value === 'string' && value ? value.toLowerCase() : null;
const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/** Reads the caller of an activity. */
export function callerOf(activity: Partial<Activity>): Caller {
  const channelData = (activity.channelData ?? {}) as {
    tenant?: { id?: unknown };
    team?: { id?: unknown };
    channel?: { id?: unknown };
  };
  const conversation = activity.conversation;
  const type = conversation?.conversationType;
  const kind: ConversationKind =
    type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  return {
    aadObjectId: lower(activity.from?.aadObjectId),
    userId: activity.from?.id ?? '',
    name: activity.from?.name || 'someone',
    tenantId: lower(channelData.tenant?.id) ?? lower(conversation?.tenantId),
    teamId: text(channelData.team?.id),
    channelId: text(channelData.channel?.id),
    conversationId: conversation?.id ?? '',
    kind,
  };
}
