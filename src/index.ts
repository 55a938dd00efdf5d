/** Production entry: the bot and the relay hub on one server, Graph with the app's credential, and the watch. */
// First: Application Insights instruments the modules loaded after it (when its connection string is set).
import './config/telemetry';
import closeWithGrace from 'close-with-grace';
import { type AppDocuments, createApp, type ServedOrg } from './app';
import { loadConfig, requireRelaySigningKey } from './config/load-config';
import { createLogger } from './config/logger';
import { orgTarget } from './config/orgs-file';
import { loadProductionOrgs, type ProductionOrg } from './config/production-orgs';
import { stopTelemetry, telemetry } from './config/telemetry';
import { CodedError, errorMessage } from './core/errors';
import { type EmsRunner, systemClock } from './core/ports';
import { createGraphClient } from './graph/graph-client';
import { graphClientOptions, orgSignIn } from './graph/graph-credential';
import { MsGraphPort } from './graph/graph-port';
import { relayAttachment } from './relay/attachment';
import { loadOrCreateSigningKey } from './relay/signing';
import type { ManagedOrg } from './runbooks/types';
import { openStore } from './store/open-store';
import { startReplica } from './store/replica';

/** Exchange is reached only through the relay; this runner is replaced by the relay's when it attaches. */
const noRelay = () =>
  Promise.reject(new CodedError('AGENT_NOT_CONNECTED', 'No relay is attached: Exchange cannot be reached.'));
const noExchange: EmsRunner = { run: noRelay, runReads: noRelay };

async function main(): Promise<void> {
  const config = loadConfig();
  const served = loadProductionOrgs(config);
  const logger = createLogger(config.logLevel);
  // Settings first, so a missing one stops the start before anything is opened.
  const signingKey = loadOrCreateSigningKey(requireRelaySigningKey(config));
  const store = await openStore<AppDocuments>(config.dbPath, { logger });
  logger.info(
    {
      telemetry,
      orgs: served.orgs.length,
      graphCredentials: served.orgs.map((org) => org.graphCredential.kind),
    },
    'hybridops starting',
  );
  // On PostgreSQL this process is one replica of any number: relay jobs, runs and scans are shared out.
  const replica = await startReplica(store, { clock: systemClock, logger });
  const connections = served.orgs.map((org) => createGraphClient(graphClientOptions(orgSignIn(org, served))));
  const orgs = served.orgs.map((org, index) => servedOrg(org, connections[index] as GraphConnection));
  const [first] = orgs as [ServedOrg];
  const app = await createApp(config, {
    clock: systemClock,
    // From an orgs file, each org has its own admin channel and agent; else the one org of the settings.
    ...(served.fromFile
      ? { orgs }
      : { ems: noExchange, graph: first.graph, target: first.target, org: first.org as ManagedOrg }),
    store,
    logger,
    attachRelay: relayAttachment({
      store: store.relay,
      signingKey,
      clock: systemClock,
      logger,
      agentId: first.agentId as string,
      replica,
    }),
    replica,
  });
  const { url } = await app.listen(config.bot.port, '0.0.0.0');
  logger.info({ url }, 'hybridops listening: /api/messages for Teams, /relay for agents');
  // SIGTERM (App Service stopping the instance) or a crash: close the server, the store and telemetry, then exit.
  closeWithGrace({ delay: 20_000, logger }, async ({ err, signal }) => {
    if (err) logger.fatal({ err }, 'hybridops stopping after an unhandled error');
    else logger.info({ signal }, 'hybridops stopping');
    await app.close();
    await replica?.stop();
    for (const connection of connections) await connection.close();
    await store.close();
    await stopTelemetry();
  });
}

type GraphConnection = ReturnType<typeof createGraphClient>;

/** One org as the bot serves it: where its admin channel is, who may act, its agent and its Graph. */
function servedOrg(org: ProductionOrg, connection: GraphConnection): ServedOrg {
  return {
    org: {
      id: org.id,
      name: org.domain,
      runbook: org.runbook,
      inputs: {
        domain: org.domain,
        dc: org.dc,
        tenantId: org.tenantId,
        applicationAccount: true,
        acknowledged: false,
      },
      ...(org.testMailbox ? { testMailbox: org.testMailbox } : {}),
    },
    policy: {
      tenantId: org.channel.tenantId,
      adminTeamId: org.channel.teamId,
      adminChannelId: org.channel.channelId,
      operators: org.operators,
      approvers: org.approvers,
    },
    agentId: org.agentId,
    graph: new MsGraphPort({ client: connection.client, clock: systemClock }),
    target: orgTarget(org.domain),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`hybridops: ${errorMessage(error)}\n`);
  // Exit now: a database driver may keep a socket open after a failed start (pg does after a refused login).
  process.exit(1);
});
