/** Who may do what, and where: decided on the tenant, team, channel and Entra object id, never on names. */
import type { Caller } from './caller';

export interface AccessPolicy {
  readonly tenantId: string;
  readonly adminTeamId: string;
  readonly adminChannelId: string;
  readonly operators: readonly string[];
  readonly approvers: readonly string[];
}

/** What a command or action needs. `member` is any operator or approver; `anyone` any user of the tenant. */
export type Role = 'anyone' | 'member' | 'operator' | 'approver';
export type Place = 'adminChannel' | 'personal';

export type RefusalReason =
  | 'otherTenant'
  | 'otherTeam'
  | 'otherChannel'
  | 'groupChat'
  | 'channelOnly'
  | 'notMember'
  | 'notOperator'
  | 'notApprover';

export type AccessDecision =
  | { readonly ok: true; readonly place: Place; readonly operator: boolean; readonly approver: boolean }
  | { readonly ok: false; readonly reason: RefusalReason; readonly message: string };

const REFUSALS: Record<RefusalReason, string> = {
  otherTenant: 'Sorry, this bot only works for its own organization. Nothing was run.',
  otherTeam: 'Sorry, I only take commands in the admin team. Nothing was run.',
  otherChannel: 'Sorry, I only take commands in the admin channel of this team. Nothing was run.',
  groupChat: 'Sorry, I do not take commands in group chats: use the admin channel. Nothing was run.',
  channelOnly:
    'That command changes things, so it only works in the admin channel where everyone can see it. Nothing was run.',
  notMember:
    'Sorry, you are not on the list of hybridops operators or approvers. Ask an admin to add your account.',
  notOperator:
    'Sorry, only operators may do that. Ask an admin to add your account to the operators. Nothing was run.',
  notApprover: 'Sorry, only approvers may approve or reject. Nothing was run.',
};

const refuse = (reason: RefusalReason): AccessDecision => ({ ok: false, reason, message: REFUSALS[reason] });

/** The admin channel id from channel data, or from a channel conversation id (`19:…@thread.tacv2;messageid=…`). */
export function channelOf(caller: Caller): string | null {
  if (caller.channelId) return caller.channelId;
  return caller.kind === 'channel' ? (caller.conversationId.split(';')[0] ?? null) : null;
}

/** Decides whether `caller` may do something that needs `role` in one of `places`. */
export function authorize(
  caller: Caller,
  policy: AccessPolicy,
  role: Role,
  places: readonly Place[],
): AccessDecision {
  if (caller.tenantId !== policy.tenantId.toLowerCase()) return refuse('otherTenant');
  let place: Place;
  if (caller.kind === 'groupChat') return refuse('groupChat');
  if (caller.kind === 'channel') {
    if (caller.teamId !== policy.adminTeamId) return refuse('otherTeam');
    if (channelOf(caller) !== policy.adminChannelId) return refuse('otherChannel');
    place = 'adminChannel';
  } else {
    place = 'personal';
  }
  const id = caller.aadObjectId;
  const operator = id !== null && policy.operators.some((candidate) => candidate.toLowerCase() === id);
  const approver = id !== null && policy.approvers.some((candidate) => candidate.toLowerCase() === id);
  if (role === 'member' && !operator && !approver) return refuse('notMember');
  if (role === 'operator' && !operator) return refuse('notOperator');
  if (role === 'approver' && !approver) return refuse('notApprover');
  if (!places.includes(place)) return refuse('channelOnly');
  return { ok: true, place, operator, approver };
}

/** Where the bot takes anything at all: the admin channel of its team in its tenant, and personal chats there. */
export const SERVED_PLACES: readonly Place[] = ['adminChannel', 'personal'];

/** The tenant, team and channel check every message and every invoke passes before anything else. */
export function checkPlace(caller: Caller, policy: AccessPolicy): AccessDecision {
  return authorize(caller, policy, 'anyone', SERVED_PLACES);
}
