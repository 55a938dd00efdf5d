/** Production entry: the bot and the relay hub on one server, Graph with the app's credential, and the watch. */
// First: Application Insights instruments the modules loaded after it (when its connection string is set).
import './config/telemetry';
import { type AppDocuments, createApp } from './app';
import { loadConfig, requireBotSettings, requireRelaySigningKey } from './config/load-config';
import { createLogger } from './config/logger';
import { loadProductionSettings, type ProductionSettings } from './config/production-settings';
import { stopTelemetry, telemetry } from './config/telemetry';
import { CodedError, errorMessage } from './core/errors';
import { type EmsRunner, systemClock } from './core/ports';
import { createGraphClient } from './graph/graph-client';
import { graphClientOptions } from './graph/graph-credential';
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
  const bot = requireBotSettings(config);
  const production = loadProductionSettings();
  const logger = createLogger(config.logLevel);
  // Settings first, so a missing one stops the start before anything is opened.
  const signingKey = loadOrCreateSigningKey(requireRelaySigningKey(config));
  const store = await openStore<AppDocuments>(config.dbPath, { logger });
  logger.info({ telemetry, graphCredential: production.graphCredential.kind }, 'hybridops starting');
  // On PostgreSQL this process is one replica of any number: relay jobs, runs and scans are shared out.
  const replica = await startReplica(store, { clock: systemClock, logger });
  const graphConnection = createGraphClient(
    graphClientOptions({
      tenantId: bot.tenantId,
      clientId: production.graphClientId,
      credential: production.graphCredential,
      graphUrl: production.graphUrl,
      authorityHost: production.authorityHost,
    }),
  );
  const app = await createApp(config, {
    clock: systemClock,
    ems: noExchange,
    graph: new MsGraphPort({ client: graphConnection.client, clock: systemClock }),
    store,
    target: `org:${production.orgDomain}`,
    logger,
    attachRelay: relayAttachment({
      store: store.relay,
      signingKey,
      clock: systemClock,
      logger,
      agentId: production.relayAgentId,
      replica,
    }),
    replica,
    org: productionOrg(production, bot.tenantId),
  });
  const { url } = await app.listen(bot.port, '0.0.0.0');
  logger.info({ url }, 'hybridops listening: /api/messages for Teams, /relay for agents');
  const stop = async () => {
    await app.close();
    await replica?.stop();
    await graphConnection.close();
    await store.close();
    await stopTelemetry();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** The org the production bot manages and watches, from its settings. */
function productionOrg(production: ProductionSettings, tenantId: string): ManagedOrg {
  return {
    id: production.orgDomain,
    name: production.orgDomain,
    runbook: production.orgRunbook,
    inputs: {
      domain: production.orgDomain,
      dc: production.orgDc,
      tenantId,
      applicationAccount: true,
      acknowledged: false,
    },
    ...(production.testMailbox ? { testMailbox: production.testMailbox } : {}),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`hybridops: ${errorMessage(error)}\n`);
  // Exit now: a database driver may keep a socket open after a failed start (pg does after a refused login).
  process.exit(1);
});
