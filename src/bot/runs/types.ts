/** What the run coordinator and its parts use: the org's ports, the store, where to post, and the rules. */
import type { Logger } from 'pino';
import type { Clock, EmsRunner, GraphPort } from '../../core/ports';
import type { Approvals } from '../approvals';
import type { Poster } from '../poster';
import type { BotRepositories } from '../repositories';
import type { TurnGauge } from '../turn-gauge';

export interface CoordinatorDeps {
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  readonly clock: Clock;
  readonly store: Pick<BotRepositories, 'runs' | 'plans' | 'approvals' | 'conversations'>;
  readonly poster: Poster;
  /** Where runs apply, as journaled (e.g. `lab:/path/org.json` or the org's name). */
  readonly target: string;
  /** The key the org's admin channel reference is stored under (where a recovered run is reported). */
  readonly channelKey: string;
  readonly logger: Logger;
  /** Minimum time between two updates of a run card. */
  readonly updateIntervalMs: number;
  /** Expires approvals nobody decided in time (each audited once). */
  readonly approvals: Pick<Approvals, 'expireDue'>;
  /** How long an approval stays valid, in minutes: a run interrupted by a restart resumes only within it. */
  readonly approvalMinutes: number;
  /** The crash tests' hook (see src/config/crash-hook.ts). */
  readonly checkpoint?: (label: string) => void;
  /** The bot's turns in flight, shared by every org's coordinator (one gauge on the adapter); a new one by default. */
  readonly turns?: TurnGauge;
  /** With replicas on PostgreSQL: which replica runs each run (see `runLeases`); alone, every run is this bot's. */
  readonly runLeases?: RunLeases;
}

/** Ownership of runs among replicas: a run whose replica died is taken over by one other replica. */
export interface RunLeases {
  /** Makes this replica the owner of a run it has just created. */
  claimNew(runId: string): Promise<void>;
  /** Takes a run no live replica owns; false when another live replica owns it (or may be about to). */
  claim(runId: string): Promise<boolean>;
  /** How often to look for runs whose replica died. */
  readonly sweepMs: number;
}

/** One run the coordinator has started and may cancel. */
export interface ActiveRun {
  readonly approvalId: string;
  /** Waiting for another run on the target, checking the org before the run (the start probe), or running. */
  phase: 'queued' | 'checking' | 'running';
  /** When the current phase began (ISO). */
  since: string;
  runId: string | null;
  readonly controller: AbortController;
  cancelledBy: string | null;
}

/** Who, as written in the journal and audit log: name and Entra object id. */
export const actorOf = (name: string, id: string | null) => `${name} (${id ?? 'unknown id'})`;
