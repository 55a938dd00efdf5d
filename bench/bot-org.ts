/**
 * The bot benchmark's simulated org in a process of its own, reached as production reaches a real org: Exchange
 * through a relay agent that dials the bot's hub and runs the lab's EMS executor, Entra through the lab's Graph
 * endpoint over HTTPS. The bot's event loop then does only the bot's work, as it would next to a real org.
 */
import { createPublicKey } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { type EmsRunner, systemClock } from '../src/core/ports';
import { createGraphClient } from '../src/graph/graph-client';
import { MsGraphPort } from '../src/graph/graph-port';
import { SimulatedExchange } from '../src/lab/exchange-org';
import { startLabGraphServer } from '../src/lab/graph-server';
import { createLabState } from '../src/lab/init';
import { labExecutor } from '../src/lab/relay-executor';
import { RelayAgent } from '../src/relay/agent-client';
import { registerAgent } from '../src/relay/agent-registry';
import { openAgentStore } from '../src/relay/agent-store';
import { relayAttachment } from '../src/relay/attachment';
import { generateSigningKey, publicKeyPem } from '../src/relay/signing';
import type { RelayRepository } from '../src/store/relay-repository';
import { forkTs, nextMessage, stopChild } from './fork-ts';

/** How the bot's process reaches the org's Graph endpoint (createGraphClient's options). */
export interface OrgGraphEndpoint {
  readonly baseUrl: string;
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly caPem: string;
}

/** What the org's agent needs to dial the bot's relay hub. */
export interface OrgAgentSettings {
  readonly hubUrl: string;
  readonly agentId: string;
  readonly secret: string;
  /** The bot's public signing key (PEM), pinned by the agent. */
  readonly botPublicKeyPem: string;
}

type ToChild = { readonly type: 'agent'; readonly settings: OrgAgentSettings };
type FromChild =
  | { readonly type: 'graph'; readonly endpoint: OrgGraphEndpoint }
  | { readonly type: 'connected' }
  | { readonly type: 'refused'; readonly status: number };

/** The org's process as the bot's side sees it. */
export interface OrgProcess {
  readonly graph: OrgGraphEndpoint;
  /** Starts the org's relay agent; resolves once the hub has welcomed it. */
  connectAgent(settings: OrgAgentSettings): Promise<void>;
  close(): Promise<void>;
}

/** Starts the simulated org (contoso.com, in memory) in a child process; its agent's journal goes in `dir`. */
export async function startOrgProcess(dir: string): Promise<OrgProcess> {
  const child = forkTs(__filename, ['--org-child', dir]);
  const next = async (type: FromChild['type']) => {
    const message = await nextMessage<FromChild>(child, (m) => m.type === type || m.type === 'refused');
    if (message.type === 'refused') throw new Error(`the hub refused the org's agent (${message.status})`);
    return message;
  };
  const ready = await next('graph');
  if (ready.type !== 'graph') throw new Error('the org process did not start');
  return {
    graph: ready.endpoint,
    connectAgent: async (settings) => {
      const connected = next('connected');
      child.send({ type: 'agent', settings } satisfies ToChild);
      await connected;
    },
    close: () => stopChild(child),
  };
}

const AGENT_ID = 'bench-exchange';

/** Exchange is reached only through the relay's agent; this runner is never used. */
const unreachableEms: EmsRunner = {
  run: () => Promise.reject(new Error('Exchange is reached through the relay in this bench.')),
  runReads: () => Promise.reject(new Error('Exchange is reached through the relay in this bench.')),
};

/**
 * The bot's side of the org process, for createApp: Exchange through the relay hub on the bot's server (its
 * agent registered in `relayStore`), Graph over HTTPS; `connectAgent` once the bot listens.
 */
export async function botSideOf(org: OrgProcess, relayStore: RelayRepository) {
  const signingKey = generateSigningKey();
  const secret = await registerAgent(relayStore, AGENT_ID, systemClock.now().toISOString());
  const connection = createGraphClient(org.graph);
  return {
    ems: unreachableEms,
    graph: new MsGraphPort({ client: connection.client, clock: systemClock }),
    attachRelay: relayAttachment({
      store: relayStore,
      signingKey,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      agentId: AGENT_ID,
    }),
    connectAgent: (botUrl: string) =>
      org.connectAgent({
        hubUrl: `${botUrl.replace(/^http/, 'ws')}/relay`,
        agentId: AGENT_ID,
        secret,
        botPublicKeyPem: publicKeyPem(signingKey),
      }),
    close: () => connection.close(),
  };
}

/** The child: the lab state in memory, its Graph endpoint, and (when told where the hub is) its relay agent. */
async function orgChild(dir: string): Promise<void> {
  const send = (message: FromChild) => process.send?.(message);
  const state = await createLabState({ now: systemClock.now(), domain: 'contoso.com' });
  // In memory: the agent's and Graph's acknowledgements cost no file write, as the bench measures the bot.
  const persist = () => undefined;
  const exchange = new SimulatedExchange(state, { clock: systemClock, persist });
  const server = await startLabGraphServer({ state, persist, clock: systemClock });
  let agent: RelayAgent | null = null;
  process.on('message', (message: ToChild) => {
    if (message.type !== 'agent' || agent) return;
    const { settings } = message;
    agent = new RelayAgent({
      hubUrl: settings.hubUrl,
      agentId: settings.agentId,
      secret: settings.secret,
      botPublicKey: createPublicKey(settings.botPublicKeyPem),
      executor: labExecutor(exchange),
      store: openAgentStore(path.join(dir, `${settings.agentId}.agent.db`)),
      clock: systemClock,
      onEvent: (event) => {
        if (event.type === 'connected') send({ type: 'connected' });
        if (event.type === 'refused-by-hub') send({ type: 'refused', status: event.status });
      },
    });
    agent.start();
  });
  process.once('SIGTERM', () => {
    void (async () => {
      await agent?.stop();
      await server.close();
      process.exit(0);
    })();
  });
  send({
    type: 'graph',
    endpoint: {
      baseUrl: server.url,
      authorityHost: server.authorityHost,
      tenantId: server.tenantId,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      caPem: server.caPem,
    },
  });
}

if (require.main === module && process.argv[2] === '--org-child') {
  orgChild(process.argv[3] as string).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
