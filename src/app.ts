/** The composition root: builds the bot, its server, store, approvals and runs from config and injected parts. */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { type BotAdapter, CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type * as restify from 'restify';
import { scanOncePerSlot } from './alerts/replicated-scan';
import type { AlertCard, AlertStore, Notifier, WatchedOrg } from './alerts/types';
import { createWatch, type Watch } from './alerts/watch';
import { createAlertNotifier } from './bot/alerts/alert-notifier';
import { sweepExpiredApprovals } from './bot/approval-updates';
import { Approvals } from './bot/approvals';
import { createBot } from './bot/create-bot';
import { createAdapterPoster, type Poster } from './bot/poster';
import type { BotRepositories } from './bot/repositories';
import { RunCoordinator } from './bot/run-coordinator';
import { runLeasesOf } from './bot/runs/leases';
import { createBotServer, type HealthCheck } from './bot/server';
import type { BotServices } from './bot/services';
import { type BotSettings, type Config, requireBotSettings } from './config/load-config';
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

export interface AppDeps {
  readonly clock: Clock;
  /** Exchange: the lab's simulated org, or (when `attachRelay` gives one) the relay. */
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  /** The open store; whoever opened it closes it, after `close()`. */
  readonly store: AppStore;
  /** Where runs apply, as journaled. */
  readonly target: string;
  readonly logger: Logger;
  /** Defaults to a TeamsAdapter from the bot settings; tests pass botbuilder's TestAdapter. */
  readonly adapter?: BotAdapter;
  /** The org the bot manages and watches (verify, cert, inspect and watch default to it). */
  readonly org?: ManagedOrg;
  /** The lab's simulated people, whom `approve`/`reject` in chat may act as; only the lab passes them. */
  readonly labPeople?: BotServices['labPeople'];
  /** Attaches the relay hub to the bot's HTTP server. */
  readonly attachRelay?: (server: HttpServer) => Promise<AttachedRelay>;
  readonly updateIntervalMs?: number;
  /** The crash tests' hook, called at each checkpoint of a run (see src/config/crash-hook.ts). */
  readonly checkpoint?: (label: string) => void;
  /**
   * This process as one replica of several on PostgreSQL (`startReplica`): runs are owned by one replica and
   * taken over when it dies, each org's scheduled scan runs on one replica. Whoever started it stops it.
   */
  readonly replica?: Replica | null;
}

export interface HybridOpsApp {
  readonly bot: Application<TurnState>;
  readonly adapter: BotAdapter;
  readonly server: restify.Server;
  readonly services: BotServices;
  /** Posts the watch's alert cards to the admin channel. */
  readonly notifier: Notifier;
  /** The watch over `deps.org`, when given; scans run between listen() and close(). */
  readonly watch: Watch | null;
  readonly store: AppStore;
  /** Listens on `port` (config PORT when omitted; 0 for a free one) on `host`. */
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** Waits for runs in progress, then stops the server and the relay. */
  close(): Promise<void>;
}

/**
 * Builds the whole bot from config and parts; `src/index.ts` and `src/lab.ts` only choose the parts.
 * Resolves once the relay is attached, the managed org is registered with the watch, and the runs a stopped bot
 * left unfinished are resumed (in the background) or marked interrupted.
 */
export async function createApp(config: Config, deps: AppDeps): Promise<HybridOpsApp> {
  const settings = requireBotSettings(config);
  const logger = deps.logger.child({ component: 'bot' });
  const adapter = deps.adapter ?? teamsAdapter(settings);
  const poster = createAdapterPoster(adapter, settings.appId ?? '', {
    onRetry: (delayMs) => logger.info({ delayMs }, 'Teams asked to retry a post'),
  });
  const { server, serve } = createBotHost(adapter, logger, { probe: () => deps.store.ping() });
  const relay = await deps.attachRelay?.(server.server as HttpServer);
  const { services, notifier } = await createServices(settings, {
    ...deps,
    ems: relay?.ems ?? deps.ems,
    logger,
    poster,
    relay,
  });
  const bot = createBot(services, adapter, settings.appId ?? undefined);
  serve(bot);
  // Runs a stopped bot left unfinished are resumed or marked interrupted before anyone can ask for status.
  await services.coordinator.recover();
  let stopSweep = () => {};
  let stopSweeping: () => void = () => undefined;
  return {
    bot,
    adapter,
    server,
    services,
    notifier,
    watch: services.watch?.watch ?? null,
    store: deps.store,
    listen: async (port = settings.port, host = '127.0.0.1') => {
      await services.watch?.watch.start();
      stopSweep = sweepExpiredApprovals(services);
      stopSweeping = services.coordinator.sweep();
      return listen(server, port, host);
    },
    async close() {
      services.watch?.watch.stop();
      stopSweep();
      stopSweeping();
      await services.coordinator.idle();
      await relay?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The Bot Framework adapter for Teams, from the bot's registration (none in the lab). */
function teamsAdapter(settings: BotSettings): BotAdapter {
  return new TeamsAdapter({
    ...(settings.appId ? { MicrosoftAppId: settings.appId } : {}),
    ...(settings.appPassword ? { MicrosoftAppPassword: settings.appPassword } : {}),
    ...(settings.appType ? { MicrosoftAppType: settings.appType } : {}),
    ...(settings.appTenantId ? { MicrosoftAppTenantId: settings.appTenantId } : {}),
  });
}

/**
 * The HTTP server, made before the bot: the relay attaches to it, and the bot needs the relay's runner.
 * Turns that arrive before `serve` are refused.
 */
function createBotHost(adapter: BotAdapter, logger: Logger, health: HealthCheck) {
  let bot: Application<TurnState> | null = null;
  const server = createBotServer(
    adapter instanceof CloudAdapter ? adapter : null,
    async (context) => {
      if (!bot) throw new Error('The bot is not built yet.');
      return bot.run(context);
    },
    logger,
    health,
  );
  return {
    server,
    serve: (built: Application<TurnState>) => {
      bot = built;
    },
  };
}

/** Everything the routes use, over the app's store: repositories, approvals, runs, alerts and the watch. */
async function createServices(
  settings: BotSettings,
  deps: AppDeps & { poster: Poster; relay: AttachedRelay | undefined },
): Promise<{ services: BotServices; notifier: Notifier }> {
  const { clock, ems, graph, poster, logger } = deps;
  const store: BotRepositories = deps.store;
  const approvals = new Approvals(store, clock, settings.approvers, settings.approvalMinutes);
  const coordinator = new RunCoordinator({
    ems,
    graph,
    clock,
    store,
    poster,
    logger,
    target: deps.target,
    updateIntervalMs: deps.updateIntervalMs ?? 700,
    approvals,
    approvalMinutes: settings.approvalMinutes,
    ...(deps.checkpoint ? { checkpoint: deps.checkpoint } : {}),
    ...(deps.replica ? { runLeases: runLeasesOf(deps.replica) } : {}),
  });
  const notifier = createAlertNotifier({
    conversations: store.conversations,
    poster,
    clock,
    adminChannelId: settings.adminChannelId,
  });
  const watched = deps.org
    ? await watchOrg(deps.org, {
        alerts: deps.store.watch,
        notifier,
        clock,
        ems,
        graph,
        channelId: settings.adminChannelId,
        replica: deps.replica ?? null,
      })
    : null;
  const services: BotServices = {
    policy: settings,
    clock,
    ems,
    graph,
    store,
    approvals,
    coordinator,
    poster,
    logger,
    ...(deps.relay ? { agents: deps.relay } : {}),
    ...(watched ? { watch: watched } : {}),
    ...(deps.org ? { org: deps.org } : {}),
    userIds: new Map(),
    userNames: new Map(),
    ...(deps.labPeople ? { labPeople: deps.labPeople } : {}),
  };
  return { services, notifier };
}

/** The watch over one org: its state in the store, alerts posted to the admin channel. */
async function watchOrg(
  org: ManagedOrg,
  deps: {
    alerts: AlertStore;
    notifier: Notifier;
    clock: Clock;
    ems: EmsRunner;
    graph: GraphPort;
    channelId: string;
    replica: Replica | null;
  },
): Promise<{ watch: Watch; alerts: AlertStore }> {
  const { alerts } = deps;
  const watch = createWatch({
    store: alerts,
    notifier: deps.notifier,
    clock: deps.clock,
    connect: async () => ({ ems: deps.ems, graph: deps.graph }),
    ...(deps.replica ? { scheduled: scanOncePerSlot(deps.replica) } : {}),
  });
  await watch.register({ ...org, channelId: deps.channelId });
  return { watch, alerts };
}

/** Starts listening; resolves with the port and URL once the server is up. */
function listen(server: restify.Server, port: number, host: string): Promise<{ port: number; url: string }> {
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.server.address() as AddressInfo;
      resolve({ port: address.port, url: `http://${host}:${address.port}` });
    });
  });
}
