/**
 * The services of each org one bot serves, over one store: the shared parts (store, poster, the watch and its
 * notifier) once, and each org's policy, approvals, runs, agent and Graph its own.
 */
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import { scanOncePerSlot } from './alerts/replicated-scan';
import type { AlertCard, AlertStore, Notifier, WatchedOrg } from './alerts/types';
import { createWatch, type Watch } from './alerts/watch';
import type { AccessPolicy } from './bot/access';
import { ADMIN_CHANNEL, adminChannelKeyOf } from './bot/admin-channel';
import { createAlertNotifier } from './bot/alerts/alert-notifier';
import { Approvals } from './bot/approvals';
import type { Poster } from './bot/poster';
import type { BotRepositories } from './bot/repositories';
import { RunCoordinator } from './bot/run-coordinator';
import { runLeasesOf } from './bot/runs/leases';
import type { BotServices } from './bot/services';
import { TurnGauge } from './bot/turn-gauge';
import type { BotRegistration } from './config/load-config';
import { CodedError } from './core/errors';
import type { Clock, EmsRunner, GraphPort } from './core/ports';
import type { AttachedRelay } from './relay/attachment';
import type { ManagedOrg } from './runbooks/types';
import type { Replica } from './store/replica';
import type { Store } from './store/store';

/** The JSON documents the bot keeps in the store: the watched org, its alert cards, Teams conversation references. */
export interface AppDocuments {
  readonly watchedOrg: WatchedOrg;
  readonly alertCard: AlertCard;
  readonly conversationReference: Partial<ConversationReference>;
}

/** The store as the bot opens it (`openStore<AppDocuments>(config.dbPath)`). */
export type AppStore = Store<AppDocuments>;

/** One org the bot serves: what it is, who may act on it and where, and how its Exchange and Entra are reached. */
export interface ServedOrg {
  /** What verify, cert and watch look at without arguments; absent, the bot plans and runs but does not watch. */
  readonly org?: ManagedOrg;
  readonly policy: AccessPolicy;
  /** Its relay agent, when a relay is attached: its Exchange commands go there. */
  readonly agentId?: string;
  /** Its Exchange without a relay (the lab's simulated org). */
  readonly ems?: EmsRunner;
  readonly graph: GraphPort;
  /** Where its runs apply, as journaled. */
  readonly target: string;
}

/** What the per-org services are built over: the shared parts, and how the orgs were given. */
export interface ServiceDeps {
  readonly clock: Clock;
  readonly store: AppStore;
  readonly logger: Logger;
  readonly poster: Poster;
  readonly relay: AttachedRelay | undefined;
  /**
   * True when the orgs come from an orgs file (many orgs): each admin channel's reference is kept under its org's
   * key, and each org sees and audits its own runs and decisions. False for the one org of the settings.
   */
  readonly many: boolean;
  readonly labPeople?: BotServices['labPeople'];
  readonly updateIntervalMs?: number;
  readonly checkpoint?: (label: string) => void;
  readonly replica?: Replica | null;
}

/**
 * Everything the routes use, per served org, over one store: the shared parts (store, poster, the watch and its
 * notifier) once, and each org's policy, approvals, runs and ports its own.
 */
export async function createServices(
  settings: BotRegistration,
  served: readonly ServedOrg[],
  deps: ServiceDeps,
): Promise<{ orgs: BotServices[]; notifier: Notifier; watch: BotServices['watch'] | null }> {
  const { clock, poster, logger } = deps;
  const store: BotRepositories = deps.store;
  // One org from the environment keeps the key its admin channel was always stored under.
  const keyOf = (org: ServedOrg) => (deps.many ? adminChannelKeyOf(org.org?.id ?? '') : ADMIN_CHANNEL);
  const adminChannels = new Map(served.map((org) => [org.policy.adminChannelId, keyOf(org)]));
  // Which org an approval belongs to, by its admin channel: its expiry is audited under that org.
  const targets = new Map(served.map((org) => [org.policy.adminChannelId, org.target]));
  const targetOf = (conversationId: string) =>
    deps.many ? (targets.get(conversationId.split(';')[0] ?? '') ?? null) : null;
  const notifier = createAlertNotifier({ conversations: store.conversations, poster, clock, adminChannels });
  // Each org's Exchange, made once: the watch and the org's routes and runs use the same runner.
  const reached = served.map((org) => ({ org, ems: emsOf(org, deps) }));
  const portsOf = new Map(reached.map(({ org, ems }) => [org.org?.id, { ems, graph: org.graph }]));
  const watch = await watchOrgs(served, portsOf, { ...deps, notifier });
  const shared = {
    clock,
    store,
    poster,
    logger,
    adminChannels,
    userIds: new Map<string, string>(),
    userNames: new Map<string, string>(),
    ...(watch ? { watch } : {}),
    ...(deps.labPeople ? { labPeople: deps.labPeople } : {}),
  };
  // One gauge of the turns in flight for every org's runs: any answer the bot owes goes before any run.
  const turns = new TurnGauge();
  const orgs = reached.map(({ org, ems }): BotServices => {
    const approvals = new Approvals(store, clock, org.policy.approvers, settings.approvalMinutes, targetOf);
    const coordinator = new RunCoordinator({
      ems,
      graph: org.graph,
      clock,
      store,
      poster,
      logger,
      target: org.target,
      channelKey: keyOf(org),
      updateIntervalMs: deps.updateIntervalMs ?? 700,
      approvals,
      approvalMinutes: settings.approvalMinutes,
      turns,
      ...(deps.checkpoint ? { checkpoint: deps.checkpoint } : {}),
      ...(deps.replica ? { runLeases: runLeasesOf(deps.replica) } : {}),
    });
    return {
      ...shared,
      policy: org.policy,
      ems,
      graph: org.graph,
      approvals,
      coordinator,
      channelKey: keyOf(org),
      target: org.target,
      scope: deps.many ? org.target : null,
      ...agentsOf(org, deps),
      ...(org.org ? { org: org.org } : {}),
    };
  });
  return { orgs, notifier, watch };
}

/** The agents an org's `agents` command lists: with many orgs, its own only (one org sees no other's agents). */
function agentsOf(org: ServedOrg, deps: ServiceDeps): Pick<BotServices, 'agents'> {
  const { relay } = deps;
  if (!relay) return {};
  if (!deps.many || !org.agentId) return { agents: relay };
  const own = org.agentId;
  return {
    agents: { listAgents: async () => (await relay.listAgents()).filter((agent) => agent.id === own) },
  };
}

/** An org's Exchange: its agent through the relay, else its own runner; neither is a configuration mistake. */
function emsOf(org: ServedOrg, deps: ServiceDeps): EmsRunner {
  // With a relay attached, Exchange is reached through it: the org's own agent, else the relay's default one.
  if (deps.relay) return org.agentId ? deps.relay.emsFor(org.agentId) : deps.relay.ems;
  if (org.ems) return org.ems;
  throw new CodedError(
    'CONFIG_INVALID',
    `Org ${org.org?.name ?? org.target} has no way to reach its Exchange.`,
  );
}

/** The watch over every served org with an `org`: state in the store, alerts in each org's admin channel. */
async function watchOrgs(
  served: readonly ServedOrg[],
  portsOf: ReadonlyMap<string | undefined, { ems: EmsRunner; graph: GraphPort }>,
  deps: ServiceDeps & { notifier: Notifier },
): Promise<{ watch: Watch; alerts: AlertStore } | null> {
  const watched = served.filter((org) => org.org);
  if (watched.length === 0) return null;
  const alerts = deps.store.watch;
  const watch = createWatch({
    store: alerts,
    notifier: deps.notifier,
    clock: deps.clock,
    connect: async (org) => {
      const ports = portsOf.get(org.id);
      if (!ports) throw new CodedError('UNKNOWN_ORG', `hybridops no longer serves ${org.name}.`);
      return ports;
    },
    serves: (orgId) => portsOf.has(orgId),
    ...(deps.replica ? { scheduled: scanOncePerSlot(deps.replica) } : {}),
  });
  for (const org of watched)
    await watch.register({ ...(org.org as ManagedOrg), channelId: org.policy.adminChannelId });
  return { watch, alerts };
}
