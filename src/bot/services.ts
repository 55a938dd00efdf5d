/** Everything the routes use, built once by createApp and passed in: narrow parts, no singletons. */
import type { Logger } from 'pino';
import type { AlertStore } from '../alerts/alert-store';
import type { Watch } from '../alerts/watch';
import type { Clock, EmsRunner, GraphPort } from '../core/ports';
import type { RunStore } from '../store/types';
import type { AccessPolicy } from './access';
import type { Approvals } from './approvals';
import type { BotStore } from './bot-store';
import type { ManagedOrg } from './org-parts';
import type { Poster } from './poster';
import type { RunCoordinator } from './run-coordinator';

/** A relay agent as the `agents` command lists it. */
export interface AgentSummary {
  readonly id: string;
  readonly name?: string;
  readonly host?: string;
  readonly connectedAt?: string;
  readonly lastSeenAt?: string;
  readonly version?: string;
}

/** Parts that other folders provide when they are present; a command whose part is absent says so. */
export interface OptionalParts {
  readonly listAgents?: () => readonly AgentSummary[] | Promise<readonly AgentSummary[]>;
  readonly certificateStatus?: () => Promise<{
    readonly title: string;
    readonly lines: readonly string[];
    readonly facts?: readonly (readonly [string, string])[];
  }>;
  readonly inspectToken?: (token: string) => Promise<{
    readonly title: string;
    readonly lines: readonly string[];
    readonly facts?: readonly (readonly [string, string])[];
  }>;
  /** `watch status|on|off|thresholds 60,30,7`. */
  readonly watch?: (
    args: string,
    by: string,
  ) => Promise<{ readonly title: string; readonly lines: readonly string[] }>;
}

export interface BotServices {
  readonly policy: AccessPolicy;
  readonly clock: Clock;
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  readonly runs: RunStore;
  readonly botStore: BotStore;
  readonly approvals: Approvals;
  readonly coordinator: RunCoordinator;
  readonly poster: Poster;
  readonly logger: Logger;
  readonly parts: OptionalParts;
  /** The watch and its alerts, when the bot watches an org. */
  readonly watch?: { readonly watch: Watch; readonly alerts: AlertStore };
  /** The org the bot manages by default: what verify, cert and watch look at without arguments. */
  readonly org?: ManagedOrg;
  /** Entra object id → Teams user id, learned from activities, to address card refreshes. */
  readonly userIds: Map<string, string>;
}
