/**
 * `npm run lab`: the bot, the simulated org and its Graph endpoint, and the Microsoft 365 Agents Playground
 * as the Teams client, all on this machine. Prints where to open it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type AppDocuments, createApp } from './app';
import { loadLabSettings } from './config/lab-settings';
import { loadConfig } from './config/load-config';
import { createLogger } from './config/logger';
import { errorMessage } from './core/errors';
import { systemClock } from './core/ports';
import { createLabState } from './lab/init';
import { createLabFile } from './lab/lab-file';
import { lockLabFile } from './lab/lab-lock';
import { type LabSession, openLabSession } from './lab/lab-session';
import { LAB_PEOPLE, LAB_TEAM_ID, labBotEnv } from './playground/identities';
import { labAgentExecutor, parseLabArgs } from './playground/lab-executor';
import { createLabRelay, LAB_AGENT_ID } from './playground/lab-relay';
import { startPlayground } from './playground/launch';
import { writePlaygroundConfig } from './playground/playground-config';
import type { ManagedOrg } from './runbooks/types';
import { openStore } from './store/open-store';

async function main(argv: readonly string[]): Promise<void> {
  const args = parseLabArgs(argv);
  const { dir, user, playgroundPort } = loadLabSettings();
  const labFile = await ensureLabFile(dir);
  const config = loadConfig({
    LOG_LEVEL: 'info',
    ...process.env,
    ...labBotEnv(),
    HYBRIDOPS_DB: path.join(dir, 'hybridops.db'),
  });
  const logger = createLogger(config.logLevel);
  // The running lab owns its file: lab exec and the CLI refuse it while this process lives.
  const lock = lockLabFile(labFile);
  const lab = await openLabSession(labFile, systemClock);
  const store = await openStore<AppDocuments>(config.dbPath, { logger });
  const agent = await labAgentExecutor(args.executor, lab.exchange);
  const relay = await createLabRelay({
    store: store.relay,
    dir,
    clock: systemClock,
    logger,
    executor: agent.executor,
  });
  const app = await createApp(config, {
    clock: systemClock,
    // Exchange goes through the relay hub to the lab agent, as it does on-premises; Graph is the lab endpoint.
    ems: lab.ems,
    attachRelay: relay.attach,
    graph: lab.graph,
    store,
    target: `lab:${labFile}`,
    logger,
    org: labOrg(lab),
    labPeople: LAB_PEOPLE,
  });
  const bot = await app.listen();
  relay.startAgent(bot.url);
  const playground = await startPlayground({
    appEndpoint: `${bot.url}/api/messages`,
    configPath: writePlaygroundConfig(dir, user),
    port: playgroundPort,
    logFile: path.join(dir, 'playground.log'),
  });
  await installInAdminTeam(playground.url);
  process.stdout.write(
    welcome({ playgroundUrl: playground.url, botUrl: bot.url, lab, labFile, via: agent.via }),
  );
  const stop = async () => {
    await playground.stop();
    await relay.stop();
    await app.close();
    await lab.close();
    await store.close();
    lock.release();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** The lab's org file in `dir`, created on first start. */
async function ensureLabFile(dir: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const labFile = path.join(dir, 'org.json');
  if (!fs.existsSync(labFile)) {
    // A healthy org of today: its Exchange hybrid runs on the dedicated hybrid application.
    const state = await createLabState({ now: systemClock.now(), domain: 'contoso.com', dedicatedApp: true });
    createLabFile(labFile, state, { overwrite: false });
  }
  return labFile;
}

/** The simulated org as the bot manages and watches it. */
function labOrg(lab: LabSession): ManagedOrg {
  const { domain, domainControllers } = lab.state.org;
  return {
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
  };
}

/** Installing the app in the admin team stores the admin channel's reference, as a real install does. */
async function installInAdminTeam(playgroundUrl: string): Promise<void> {
  await fetch(`${playgroundUrl}/_debug/conversation/${encodeURIComponent(LAB_TEAM_ID)}/installation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
}

/** Where to open what, and who is who. */
function welcome(where: {
  playgroundUrl: string;
  botUrl: string;
  lab: LabSession;
  labFile: string;
  via: string;
}): string {
  const { org, tenant } = where.lab.state;
  const people = LAB_PEOPLE.map((p) => `  ${p.name.padEnd(16)} ${p.roles.join(' + ') || 'no role'}`);
  return [
    '',
    `hybridops lab is running.`,
    `  Teams client (Agents Playground): ${where.playgroundUrl}`,
    `  Bot endpoint:                     ${where.botUrl}/api/messages`,
    `  Relay hub:                        ${where.botUrl.replace('http', 'ws')}/relay (lab agent "${LAB_AGENT_ID}")`,
    `  Agent runs Exchange commands:     ${where.via}`,
    `  Simulated org:                    ${org.domain} (tenant ${tenant.tenantId}), file ${where.labFile}`,
    `  Open the "Hybrid Ops" channel of the "Hybrid admins" team and type: @hybridops plan teams domain=${org.domain} dc=${org.domainControllers[0]}`,
    'People (switch user in the playground to approve as someone else):',
    ...people,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`hybridops lab: ${errorMessage(error)}\n`);
  process.exit(1);
});
