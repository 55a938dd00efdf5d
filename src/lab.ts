/**
 * `npm run lab`: the bot, the simulated org and its Graph endpoint, and the Microsoft 365 Agents Playground
 * as the Teams client, all on this machine. Prints where to open it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from './app';
import { loadLabSettings } from './config/lab-settings';
import { loadConfig } from './config/load-config';
import { createLogger } from './config/logger';
import { systemClock } from './core/ports';
import { createLabState } from './lab/init';
import { createLabFile } from './lab/lab-file';
import { openLabSession } from './lab/lab-session';
import { LAB_PEOPLE, LAB_TEAM_ID, labBotEnv } from './playground/identities';
import { createLabRelay, LAB_AGENT_ID } from './playground/lab-relay';
import { startPlayground } from './playground/launch';
import { writePlaygroundConfig } from './playground/playground-config';
import { openDatabase } from './store/database';

async function main(): Promise<void> {
  const { dir, user, playgroundPort } = loadLabSettings();
  fs.mkdirSync(dir, { recursive: true });
  const labFile = path.join(dir, 'org.json');
  if (!fs.existsSync(labFile)) {
    createLabFile(labFile, await createLabState({ now: systemClock.now(), domain: 'contoso.com' }), {
      overwrite: false,
    });
  }
  const config = loadConfig({
    LOG_LEVEL: 'info',
    ...process.env,
    ...labBotEnv(),
    HYBRIDOPS_DB: path.join(dir, 'hybridops.db'),
  });
  const logger = createLogger(config.logLevel);
  const lab = await openLabSession(labFile, systemClock);
  const db = openDatabase(config.dbPath);
  const relay = createLabRelay({ db, dir, clock: systemClock, logger, exchange: lab.exchange });
  const { domain, domainControllers } = lab.state.org;
  const app = createApp(config, {
    clock: systemClock,
    // Exchange goes through the relay hub to the lab agent, as it does on-premises; Graph is the lab endpoint.
    ems: lab.ems,
    attachRelay: relay.attach,
    graph: lab.graph,
    db,
    target: `lab:${labFile}`,
    logger,
    org: {
      id: 'lab',
      name: domain,
      runbook: 'teams',
      inputs: {
        domain,
        dc: domainControllers[0] ?? `dc01.${domain}`,
        tenantId: lab.state.tenant.tenantId,
        applicationAccount: true,
        acknowledged: false,
      },
      testMailbox: `AdeleV@${domain}`,
    },
  });
  const bot = await app.listen();
  relay.startAgent(bot.url);
  const playground = await startPlayground({
    appEndpoint: `${bot.url}/api/messages`,
    configPath: writePlaygroundConfig(dir, user),
    port: playgroundPort,
    logFile: path.join(dir, 'playground.log'),
  });
  // Installing the app in the admin team stores the admin channel's reference, as a real install does.
  await fetch(`${playground.url}/_debug/conversation/${encodeURIComponent(LAB_TEAM_ID)}/installation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const people = LAB_PEOPLE.map((p) => `  ${p.name.padEnd(16)} ${p.roles.join(' + ') || 'no role'}`).join(
    '\n',
  );
  process.stdout.write(
    [
      '',
      `hybridops lab is running.`,
      `  Teams client (Agents Playground): ${playground.url}`,
      `  Bot endpoint:                     ${bot.url}/api/messages`,
      `  Relay hub:                        ${bot.url.replace('http', 'ws')}/relay (lab agent "${LAB_AGENT_ID}" connected to the simulated org)`,
      `  Simulated org:                    ${lab.state.org.domain} (tenant ${lab.state.tenant.tenantId}), file ${labFile}`,
      `  Open the "Hybrid Ops" channel of the "Hybrid admins" team and type: @hybridops plan teams domain=${lab.state.org.domain} dc=${lab.state.org.domainControllers[0]}`,
      'People (switch user in the playground to approve as someone else):',
      people,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await playground.stop();
    await relay.stop();
    await app.close();
    await lab.close();
    db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`hybridops lab: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
