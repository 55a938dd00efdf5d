/**
 * `npm run lab`: the bot, two simulated orgs with their Graph endpoints and relay agents, and the Microsoft 365
 * Agents Playground as the Teams client, all on this machine. Prints where to open it.
 */
import closeWithGrace from 'close-with-grace';
import { loadLabSettings } from './config/lab-settings';
import { loadConfig } from './config/load-config';
import { createLogger } from './config/logger';
import { errorMessage } from './core/errors';
import { LAB_BOT, LAB_PEOPLE, labBotEnv, labRoles } from './playground/identities';
import { parseLabArgs } from './playground/lab-executor';
import { type LabWorld, startLabWorld } from './playground/lab-world';

async function main(argv: readonly string[]): Promise<void> {
  const args = parseLabArgs(argv);
  const { dir, user, playgroundPort } = loadLabSettings();
  const config = loadConfig({ LOG_LEVEL: 'info', ...process.env, ...labBotEnv() });
  const logger = createLogger(config.logLevel);
  const world = await startLabWorld({ config, dir, executor: args.executor, logger, user, playgroundPort });
  process.stdout.write(welcome(world));
  // Ctrl+C stops everything the lab started and releases its files' locks; a second Ctrl+C stops at once.
  closeWithGrace(
    { delay: 20_000, logger: { error: (text) => process.stderr.write(`hybridops lab: ${text}\n`) } },
    async ({ err }) => {
      if (err) process.stderr.write(`hybridops lab: ${errorMessage(err)}\n`);
      await world.stop();
    },
  );
}

/** Where to open what, and who is who. */
function welcome(world: LabWorld): string {
  const hub = `${world.botUrl.replace('http', 'ws')}/relay`;
  const orgs = world.orgs.flatMap(({ lab, session, file, agent }) => {
    const { org, tenant } = session.state;
    return [
      `  ${org.domain} (tenant ${tenant.tenantId})`,
      `    file ${file}`,
      `    admin channel "${lab.channelName}"; relay agent "${lab.agentId}" runs Exchange commands ${agent.via}`,
      `    try: @${LAB_BOT.name} plan teams domain=${org.domain} dc=${org.domainControllers[0]}`,
    ];
  });
  const people = LAB_PEOPLE.map((p) => `  ${p.name.padEnd(16)} ${labRoles(p)}`);
  return [
    '',
    'hybridops lab is running.',
    `  Teams client (Agents Playground): ${world.playgroundUrl}`,
    `  Bot endpoint:                     ${world.botUrl}/api/messages`,
    `  Relay hub:                        ${hub}`,
    'Simulated orgs, one admin channel each in the "Hybrid admins" team:',
    ...orgs,
    'People (switch user in the playground, or type approve <id> as=<name>, to approve as someone else):',
    ...people,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`hybridops lab: ${errorMessage(error)}\n`);
  process.exit(1);
});
