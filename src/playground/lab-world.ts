/**
 * The whole lab as `npm run lab` starts it: two simulated orgs (contoso.com and fabrikam.com, each with its Graph
 * endpoint), one relay agent next to each, the bot serving both from one admin channel each, and the Agents
 * Playground as the Teams client.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { type AppDocuments, createApp, type HybridOpsApp, type ServedOrg } from '../app';
import type { Config } from '../config/load-config';
import { systemClock } from '../core/ports';
import { createLabState } from '../lab/init';
import { createLabFile } from '../lab/lab-file';
import { type LabLock, lockLabFile } from '../lab/lab-lock';
import { type LabSession, openLabSession } from '../lab/lab-session';
import type { ManagedOrg } from '../runbooks/types';
import { openStore } from '../store/open-store';
import { LAB_ORGS, LAB_PEOPLE, LAB_TEAM_ID, LAB_TENANT_ID, type LabOrg } from './identities';
import { type LabAgentExecutor, type LabExecutorKind, labAgentExecutor } from './lab-executor';
import { createLabRelay, type LabRelay } from './lab-relay';
import { startPlayground, stopLeftoverPlayground } from './launch';
import { writePlaygroundConfig } from './playground-config';

/** One simulated org of the running lab. */
export interface LabWorldOrg {
  readonly lab: LabOrg;
  readonly session: LabSession;
  readonly file: string;
  readonly agent: LabAgentExecutor;
}

export interface LabWorld {
  readonly app: HybridOpsApp;
  readonly orgs: readonly LabWorldOrg[];
  readonly botUrl: string;
  readonly playgroundUrl: string;
  stop(): Promise<void>;
}

export interface LabWorldOptions {
  readonly config: Config;
  readonly dir: string;
  readonly executor: LabExecutorKind;
  readonly logger: Logger;
  /** Who the Playground signs in as (an index into the lab's people). */
  readonly user: number;
  readonly playgroundPort: number;
  /** The bot's port (0 for a free one); the config's PORT when omitted. */
  readonly botPort?: number;
  readonly updateIntervalMs?: number;
}

/** Starts the lab; `stop` stops everything it started, last started first. */
export async function startLabWorld(options: LabWorldOptions): Promise<LabWorld> {
  const { dir, logger } = options;
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const orgs = await openLabOrgs(dir, options.executor, stops);
    const store = await openStore<AppDocuments>(path.join(dir, 'hybridops.db'), { logger });
    stops.push(() => store.close());
    const relay: LabRelay = await createLabRelay({
      store: store.relay,
      dir,
      clock: systemClock,
      logger,
      agents: orgs.map((org) => ({ id: org.lab.agentId, executor: org.agent.executor })),
    });
    const app = await createApp(options.config, {
      clock: systemClock,
      // Exchange goes through the relay hub to each org's lab agent, as on-premises; Graph is each org's endpoint.
      orgs: orgs.map(servedLabOrg),
      attachRelay: relay.attach,
      store,
      logger,
      labPeople: LAB_PEOPLE,
      ...(options.updateIntervalMs !== undefined ? { updateIntervalMs: options.updateIntervalMs } : {}),
    });
    const bot = await app.listen(options.botPort);
    let playground: Awaited<ReturnType<typeof startPlayground>> | null = null;
    // The bot and its agents stop before the Teams client, so nothing they still post finds it gone.
    stops.push(async () => {
      await app.close();
      await relay.stop();
      await playground?.stop();
    });
    relay.startAgent(bot.url);
    // A lab that was killed outright left its Playground running, on the port this one wants: stop it first.
    const pidFile = path.join(dir, 'playground.pid');
    const leftover = await stopLeftoverPlayground(pidFile);
    if (leftover !== null)
      logger.warn({ pid: leftover }, 'stopped the Agents Playground a lab that was killed had left running');
    playground = await startPlayground({
      appEndpoint: `${bot.url}/api/messages`,
      configPath: writePlaygroundConfig(dir, options.user),
      port: options.playgroundPort,
      logFile: path.join(dir, 'playground.log'),
      pidFile,
    });
    await installInAdminTeam(playground.url);
    return { app, orgs, botUrl: bot.url, playgroundUrl: playground.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Each lab org's file (created on first start, then owned by this process), session and agent executor. */
async function openLabOrgs(
  dir: string,
  executor: LabExecutorKind,
  stops: (() => Promise<void> | void)[],
): Promise<LabWorldOrg[]> {
  fs.mkdirSync(dir, { recursive: true });
  const orgs: LabWorldOrg[] = [];
  for (const lab of LAB_ORGS) {
    const file = await ensureLabFile(dir, lab);
    // The running lab owns its files: lab exec and the CLI refuse them while this process lives.
    const lock: LabLock = lockLabFile(file);
    stops.push(() => lock.release());
    const session = await openLabSession(file, systemClock);
    stops.push(() => session.close());
    const agent = await labAgentExecutor(executor, session.exchange);
    orgs.push({ lab, session, file, agent });
  }
  return orgs;
}

/** A lab org's file in `dir`, created on first start as a healthy org of today (on the dedicated hybrid app). */
async function ensureLabFile(dir: string, lab: LabOrg): Promise<string> {
  const file = path.join(dir, lab.file);
  if (!fs.existsSync(file)) {
    const state = await createLabState({ now: systemClock.now(), domain: lab.domain, dedicatedApp: true });
    createLabFile(file, state, { overwrite: false });
  }
  return file;
}

/** A simulated org as the bot serves it: its admin channel, people, agent and Graph endpoint. */
function servedLabOrg({ lab, session, file }: LabWorldOrg): ServedOrg {
  return {
    org: managedLabOrg(lab.id, session),
    policy: {
      tenantId: LAB_TENANT_ID,
      adminTeamId: LAB_TEAM_ID,
      adminChannelId: lab.channelId,
      operators: lab.operators,
      approvers: lab.approvers,
    },
    agentId: lab.agentId,
    graph: session.graph,
    target: `lab:${file}`,
  };
}

/** The simulated org as the bot manages and watches it. */
export function managedLabOrg(id: string, lab: LabSession): ManagedOrg {
  const { domain, domainControllers } = lab.state.org;
  return {
    id,
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

/** Installing the app in the admin team stores every admin channel's reference, as a real install does. */
async function installInAdminTeam(playgroundUrl: string): Promise<void> {
  await fetch(`${playgroundUrl}/_debug/conversation/${encodeURIComponent(LAB_TEAM_ID)}/installation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
}
