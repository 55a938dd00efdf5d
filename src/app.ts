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
import { type ManagedOrg, orgParts } from './bot/org-parts';
import { createAdapterPoster, type Poster } from './bot/poster';
import { RunCoordinator } from './bot/run-coordinator';
import { createBotServer } from './bot/server';
import type { BotServices, OptionalParts } from './bot/services';
import { type Config, requireBotSettings } from './config/load-config';
import type { Clock, EmsRunner, GraphPort } from './core/ports';
import type { SqliteDatabase } from './store/database';
import { createRunStore } from './store/sqlite-store';
import type { RunStore } from './store/types';

/** What a relay brings once attached to the bot's HTTP server. */
export interface AttachedRelay {
  readonly ems: EmsRunner;
  readonly parts?: OptionalParts;
  close(): Promise<void>;
}

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
  readonly parts?: OptionalParts;
  /** The org the bot manages and watches (verify, cert, inspect and watch default to it). */
  readonly org?: ManagedOrg;
  /** Attaches the relay hub to the bot's HTTP server. */
  readonly attachRelay?: (server: HttpServer) => AttachedRelay;
  readonly sleep?: (ms: number) => Promise<void>;
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

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds the whole bot from config and parts; `src/index.ts` and `src/lab.ts` only choose the parts. */
export function createApp(config: Config, deps: AppDeps): HybridOpsApp {
  const settings = requireBotSettings(config);
  const logger = deps.logger.child({ component: 'bot' });
  const adapter: BotAdapter =
    deps.adapter ??
    new TeamsAdapter({
      ...(settings.appId ? { MicrosoftAppId: settings.appId } : {}),
      ...(settings.appPassword ? { MicrosoftAppPassword: settings.appPassword } : {}),
      ...(settings.appType ? { MicrosoftAppType: settings.appType } : {}),
      ...(settings.appTenantId ? { MicrosoftAppTenantId: settings.appTenantId } : {}),
    });
  const runs = createRunStore(deps.db);
  const botStore = createBotStore(deps.db);
  const poster: Poster = createAdapterPoster(adapter, settings.appId ?? '', { sleep: deps.sleep ?? wait });
  // The server exists before the bot (the relay attaches to it and the bot needs the relay's runner).
  let bot: Application<TurnState> | null = null;
  const server = createBotServer(
    adapter instanceof CloudAdapter ? adapter : null,
    async (context) => {
      if (!bot) throw new Error('The bot is not built yet.');
      return bot.run(context);
    },
    logger,
  );
  const relay = deps.attachRelay?.(server.server as HttpServer);
  const ems = relay?.ems ?? deps.ems;
  const coordinator = new RunCoordinator({
    ems,
    graph: deps.graph,
    clock: deps.clock,
    runs,
    botStore,
    poster,
    target: deps.target,
    logger,
    updateIntervalMs: deps.updateIntervalMs ?? 700,
  });
  const notifier = createAlertNotifier({
    botStore,
    poster,
    clock: deps.clock,
    adminChannelId: settings.adminChannelId,
  });
  const watched = deps.org
    ? watchOrg(deps.org, {
        db: deps.db,
        notifier,
        clock: deps.clock,
        ems,
        graph: deps.graph,
        adminChannelId: settings.adminChannelId,
      })
    : null;
  const services: BotServices = {
    policy: settings,
    clock: deps.clock,
    ems,
    graph: deps.graph,
    runs,
    botStore,
    approvals: new Approvals(botStore, deps.clock, settings.approvers, settings.approvalMinutes),
    coordinator,
    poster,
    logger,
    parts: {
      ...(deps.org
        ? orgParts(deps.org, {
            ems,
            graph: deps.graph,
            clock: deps.clock,
            ...(watched ? { watch: watched.watch } : {}),
          })
        : {}),
      ...deps.parts,
      ...relay?.parts,
    },
    ...(watched ? { watch: watched } : {}),
    ...(deps.org ? { org: deps.org } : {}),
    userIds: new Map(),
  };
  const built = createBot(services, adapter, settings.appId ?? undefined);
  bot = built;
  return {
    bot: built,
    adapter,
    server,
    services,
    notifier,
    watch: watched?.watch ?? null,
    runs,
    botStore,
    listen: (port = settings.port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        watched?.watch.start();
        server.server.once('error', reject);
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.server.address() as AddressInfo;
          resolve({ port: address.port, url: `http://${host}:${address.port}` });
        });
      }),
    async close() {
      watched?.watch.stop();
      await coordinator.idle();
      await relay?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
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
    adminChannelId: string;
  },
): { watch: Watch; alerts: AlertStore } {
  const alerts = createAlertStore(deps.db);
  const watch = createWatch({
    store: alerts,
    notifier: deps.notifier,
    clock: deps.clock,
    connect: async () => ({ ems: deps.ems, graph: deps.graph }),
  });
  watch.register({
    ...org,
    channelId: deps.adminChannelId,
    ...(org.testMailbox ? { testMailbox: org.testMailbox } : {}),
  });
  return { watch, alerts };
}
