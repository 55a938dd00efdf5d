/** The composition root: builds the bot, its server, store, approvals and runs from config and injected parts. */
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { type BotAdapter, CloudAdapter, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type * as restify from 'restify';
import type { Notifier } from './alerts/types';
import type { Watch } from './alerts/watch';
import type { AccessPolicy } from './bot/access';
import { sweepExpiredApprovals } from './bot/approval-updates';
import { createBot } from './bot/create-bot';
import { type OrgBot, runOrgTurn } from './bot/org-router';
import { createAdapterPoster } from './bot/poster';
import { createBotServer, type HealthCheck } from './bot/server';
import type { BotServices } from './bot/services';
import { ReusingTeamsAdapter } from './bot/teams-adapter';
import {
  type BotRegistration,
  type BotSettings,
  type Config,
  requireBotRegistration,
  requireBotSettings,
} from './config/load-config';
import { CodedError } from './core/errors';
import type { Clock, EmsRunner, GraphPort } from './core/ports';
import type { AttachedRelay } from './relay/attachment';
import type { ManagedOrg } from './runbooks/types';
import { type AppStore, createServices, type ServedOrg } from './served-orgs';
import type { Replica } from './store/replica';

export type { AppDocuments, AppStore, ServedOrg } from './served-orgs';

export interface AppDeps {
  readonly clock: Clock;
  /**
   * The orgs the bot serves, each in its own admin channel (an orgs file). Without them the bot serves one org
   * from the environment's settings, over `ems`, `graph`, `target` and `org`.
   */
  readonly orgs?: readonly ServedOrg[];
  /** Exchange: the lab's simulated org, or (when `attachRelay` gives one) the relay. */
  readonly ems?: EmsRunner;
  readonly graph?: GraphPort;
  /** The open store; whoever opened it closes it, after `close()`. */
  readonly store: AppStore;
  /** Where runs apply, as journaled. */
  readonly target?: string;
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
  /** The first org's bot (the only one, unless the bot serves many orgs). */
  readonly bot: Application<TurnState>;
  readonly adapter: BotAdapter;
  readonly server: restify.Server;
  /** The first org's services (the only one's, unless the bot serves many orgs). */
  readonly services: BotServices;
  /** Every served org's bot and services, in the order given. */
  readonly orgs: readonly OrgBot[];
  /** Runs one turn on the bot of the org it belongs to (what the HTTP server does for each activity). */
  run(context: TurnContext): Promise<void>;
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
  const settings = deps.orgs ? requireBotRegistration(config) : requireBotSettings(config);
  const logger = deps.logger.child({ component: 'bot' });
  const adapter = deps.adapter ?? teamsAdapter(settings);
  const poster = createAdapterPoster(adapter, settings.appId ?? '', {
    onRetry: (delayMs) => logger.info({ delayMs }, 'Teams asked to retry a post'),
  });
  const { server, serve } = createBotHost(adapter, logger, { probe: () => deps.store.ping() });
  const relay = await deps.attachRelay?.(server.server as HttpServer);
  const served = servedOrgsOf(settings, deps);
  const { orgs, notifier, watch } = await createServices(settings, served, {
    ...deps,
    logger,
    poster,
    relay,
    many: deps.orgs !== undefined,
  });
  // Runs wait for the requests in flight too, not only for the turns already started (one gauge for every org).
  orgs[0]?.coordinator.turns.watch(server.server as HttpServer);
  const orgBots = orgs.map((services, index) => ({
    services,
    bot: createBot(services, adapter, settings.appId ?? undefined, { adapterMiddleware: index === 0 }),
  }));
  serve(orgBots);
  // Runs a stopped bot left unfinished are resumed or marked interrupted before anyone can ask for status.
  for (const services of orgs) await services.coordinator.recover();
  const [first] = orgBots as [OrgBot, ...OrgBot[]];
  let stops: (() => void)[] = [];
  return {
    bot: first.bot,
    adapter,
    server,
    services: first.services,
    orgs: orgBots,
    run: (context) => runOrgTurn(orgBots, context),
    notifier,
    watch: watch?.watch ?? null,
    store: deps.store,
    listen: async (port = settings.port, host = '127.0.0.1') => {
      await watch?.watch.start();
      stops = [
        sweepExpiredApprovals(first.services),
        ...orgs.map((services) => services.coordinator.sweep()),
      ];
      return listen(server, port, host);
    },
    async close() {
      watch?.watch.stop();
      for (const stop of stops) stop();
      for (const services of orgs) await services.coordinator.idle();
      await relay?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The orgs to serve: those given, or the one org of the environment's settings. */
function servedOrgsOf(settings: BotRegistration | BotSettings, deps: AppDeps): readonly ServedOrg[] {
  if (deps.orgs) {
    if (deps.orgs.length === 0) throw new CodedError('CONFIG_INVALID', 'The bot serves no org: add one.');
    return deps.orgs;
  }
  const { ems, graph, target } = deps;
  if (!graph || !target || !('adminChannelId' in settings))
    throw new Error('createApp needs orgs, or graph, target and the bot settings of one org.');
  const policy: AccessPolicy = settings;
  return [{ policy, graph, target, ...(deps.org ? { org: deps.org } : {}), ...(ems ? { ems } : {}) }];
}

/** The Bot Framework adapter for Teams, from the bot's registration (none in the lab). */
function teamsAdapter(settings: BotRegistration): BotAdapter {
  return new ReusingTeamsAdapter({
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
  let bots: readonly OrgBot[] | null = null;
  const server = createBotServer(
    adapter instanceof CloudAdapter ? adapter : null,
    async (context) => {
      if (!bots) throw new Error('The bot is not built yet.');
      return runOrgTurn(bots, context);
    },
    logger,
    health,
  );
  return {
    server,
    serve: (built: readonly OrgBot[]) => {
      bots = built;
    },
  };
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
