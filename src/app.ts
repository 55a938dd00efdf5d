/** The composition root: builds the bot, its server, store, approvals and runs from config and injected parts. */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { type BotAdapter, CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type * as restify from 'restify';
import { type AlertStore, createAlertStore } from './alerts/alert-store';
import type { Notifier } from './alerts/types';
import { createWatch, type Watch } from './alerts/watch';
import { createAlertNotifier } from './bot/alerts/alert-notifier';
import { Approvals } from './bot/approvals';
import { type BotStore, createBotStore } from './bot/bot-store';
import { createBot } from './bot/create-bot';
import { createAdapterPoster, type Poster } from './bot/poster';
import { RunCoordinator } from './bot/run-coordinator';
import { createBotServer } from './bot/server';
import type { BotServices } from './bot/services';
import { type BotSettings, type Config, requireBotSettings } from './config/load-config';
import type { Clock, EmsRunner, GraphPort } from './core/ports';
import type { AttachedRelay } from './relay/attachment';
import type { ManagedOrg } from './runbooks/types';
import type { SqliteDatabase } from './store/database';
import { createRunStore } from './store/sqlite-store';
import type { RunStore } from './store/types';

export interface AppDeps {
  readonly clock: Clock;
  /** Exchange: the lab's simulated org, or (when `attachRelay` gives one) the relay. */
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  readonly db: SqliteDatabase;
  /** Where runs apply, as journaled. */
  readonly target: string;
  readonly logger: Logger;
  /** Defaults to a TeamsAdapter from the bot settings; tests pass botbuilder's TestAdapter. */
  readonly adapter?: BotAdapter;
  /** The org the bot manages and watches (verify, cert, inspect and watch default to it). */
  readonly org?: ManagedOrg;
  /** Attaches the relay hub to the bot's HTTP server. */
  readonly attachRelay?: (server: HttpServer) => AttachedRelay;
  readonly updateIntervalMs?: number;
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
  readonly runs: RunStore;
  readonly botStore: BotStore;
  /** Listens on `port` (config PORT when omitted; 0 for a free one) on `host`. */
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** Waits for runs in progress, then stops the server and the relay. */
  close(): Promise<void>;
}

/** Builds the whole bot from config and parts; `src/index.ts` and `src/lab.ts` only choose the parts. */
export function createApp(config: Config, deps: AppDeps): HybridOpsApp {
  const settings = requireBotSettings(config);
  const logger = deps.logger.child({ component: 'bot' });
  const adapter = deps.adapter ?? teamsAdapter(settings);
  const poster = createAdapterPoster(adapter, settings.appId ?? '', {
    onRetry: (delayMs) => logger.info({ delayMs }, 'Teams asked to retry a post'),
  });
  const { server, serve } = createBotHost(adapter, logger);
  const relay = deps.attachRelay?.(server.server as HttpServer);
  const { services, notifier } = createServices(settings, {
    ...deps,
    ems: relay?.ems ?? deps.ems,
    logger,
    poster,
    relay,
  });
  const bot = createBot(services, adapter, settings.appId ?? undefined);
  serve(bot);
  return {
    bot,
    adapter,
    server,
    services,
    notifier,
    watch: services.watch?.watch ?? null,
    runs: services.runs,
    botStore: services.botStore,
    listen: (port = settings.port, host = '127.0.0.1') => {
      services.watch?.watch.start();
      return listen(server, port, host);
    },
    async close() {
      services.watch?.watch.stop();
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
function createBotHost(adapter: BotAdapter, logger: Logger) {
  let bot: Application<TurnState> | null = null;
  const server = createBotServer(
    adapter instanceof CloudAdapter ? adapter : null,
    async (context) => {
      if (!bot) throw new Error('The bot is not built yet.');
      return bot.run(context);
    },
    logger,
  );
  return {
    server,
    serve: (built: Application<TurnState>) => {
      bot = built;
    },
  };
}

/** Everything the routes use, over the app's database: stores, approvals, runs, alerts and the watch. */
function createServices(
  settings: BotSettings,
  deps: AppDeps & { poster: Poster; relay: AttachedRelay | undefined },
): { services: BotServices; notifier: Notifier } {
  const { clock, ems, graph, poster, logger } = deps;
  const runs = createRunStore(deps.db);
  const botStore = createBotStore(deps.db);
  const coordinator = new RunCoordinator({
    ems,
    graph,
    clock,
    runs,
    botStore,
    poster,
    logger,
    target: deps.target,
    updateIntervalMs: deps.updateIntervalMs ?? 700,
  });
  const notifier = createAlertNotifier({ botStore, poster, clock, adminChannelId: settings.adminChannelId });
  const watched = deps.org
    ? watchOrg(deps.org, { db: deps.db, notifier, clock, ems, graph, channelId: settings.adminChannelId })
    : null;
  const services: BotServices = {
    policy: settings,
    clock,
    ems,
    graph,
    runs,
    botStore,
    approvals: new Approvals(botStore, clock, settings.approvers, settings.approvalMinutes),
    coordinator,
    poster,
    logger,
    ...(deps.relay ? { agents: deps.relay } : {}),
    ...(watched ? { watch: watched } : {}),
    ...(deps.org ? { org: deps.org } : {}),
    userIds: new Map(),
  };
  return { services, notifier };
}

/** The watch over one org: alert store on the shared database, alerts posted to the admin channel. */
function watchOrg(
  org: ManagedOrg,
  deps: {
    db: SqliteDatabase;
    notifier: Notifier;
    clock: Clock;
    ems: EmsRunner;
    graph: GraphPort;
    channelId: string;
  },
): { watch: Watch; alerts: AlertStore } {
  const alerts = createAlertStore(deps.db);
  const watch = createWatch({
    store: alerts,
    notifier: deps.notifier,
    clock: deps.clock,
    connect: async () => ({ ems: deps.ems, graph: deps.graph }),
  });
  watch.register({ ...org, channelId: deps.channelId });
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
