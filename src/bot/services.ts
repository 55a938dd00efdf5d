/** Everything the routes use, built once by createApp and passed in: narrow parts, no singletons. */
import type { Logger } from 'pino';
import type { AlertStore } from '../alerts/types';
import type { Watch } from '../alerts/watch';
import type { Clock, EmsRunner, GraphPort } from '../core/ports';
import type { AttachedRelay } from '../relay/attachment';
import type { ManagedOrg } from '../runbooks/types';
import type { AccessPolicy } from './access';
import type { Approvals } from './approvals';
import type { Poster } from './poster';
import type { BotRepositories } from './repositories';
import type { RunCoordinator } from './run-coordinator';

export interface BotServices {
  readonly policy: AccessPolicy;
  readonly clock: Clock;
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  readonly store: BotRepositories;
  readonly approvals: Approvals;
  readonly coordinator: RunCoordinator;
  readonly poster: Poster;
  readonly logger: Logger;
  /** The relay's agents, when a relay is attached (the `agents` command). */
  readonly agents?: Pick<AttachedRelay, 'listAgents'>;
  /** The watch and its alerts, when the bot watches an org. */
  readonly watch?: { readonly watch: Watch; readonly alerts: AlertStore };
  /** The org the bot manages by default: what verify, cert and watch look at without arguments. */
  readonly org?: ManagedOrg;
  /** Where this org's runs apply, as journaled (`org:contoso.com`, `lab:/path/org.json`). */
  readonly target: string;
  /**
   * When the bot serves many orgs, this org's target: what status, history and pending approvals are limited to,
   * and what its decisions are audited under. Null when it serves one org (everything in the store is its own).
   */
  readonly scope: string | null;
  /** The key this org's admin channel's conversation reference is stored under. */
  readonly channelKey: string;
  /**
   * Every served org's admin channel id → the key its reference is stored under, to post where an approval or
   * alert was shown, whichever org's turn finds it.
   */
  readonly adminChannels: ReadonlyMap<string, string>;
  /** Entra object id → Teams user id, learned from activities, to address card refreshes. */
  readonly userIds: Map<string, string>;
  /** Entra object id (lower case) → display name, learned from activities and the roster, to name approvers. */
  readonly userNames: Map<string, string>;
  /**
   * The lab's simulated people, whom `approve`/`reject` typed in chat may act as (`as=lee`). Only the lab sets it;
   * without it those commands are refused.
   */
  readonly labPeople?: readonly SimulatedPerson[];
}

/** A person the lab simulates: Teams user id, display name and Entra object id. */
export interface SimulatedPerson {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
}
