/** The relay as the benchmarks start it: a hub on a loopback server, agents in this process, and a slow link. */
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { RelayAgent } from '../src/relay/agent-client';
import { registerAgent } from '../src/relay/agent-registry';
import { openAgentStore } from '../src/relay/agent-store';
import type { JobExecutor } from '../src/relay/executors/types';
import { attachRelayHub } from '../src/relay/hub';
import type { RelayHub } from '../src/relay/hub-types';
import { generateSigningKey } from '../src/relay/signing';
import { openStore } from '../src/store/open-store';
import type { RelayRepository } from '../src/store/relay-repository';

const clock = { now: () => new Date() };

/** A hub on a loopback server and the agents started on it. */
export interface Relay {
  readonly hub: RelayHub;
  readonly url: string;
  readonly port: number;
  readonly signingKey: ReturnType<typeof generateSigningKey>;
  readonly store: RelayRepository;
  startAgent(executor: JobExecutor, url?: string): Promise<RelayAgent>;
  close(): Promise<void>;
}

/** Starts a hub with its store in a folder of `parent`. */
export async function startRelay(parent: string): Promise<Relay> {
  const dir = fs.mkdtempSync(path.join(parent, 'relay-'));
  const server = http.createServer();
  const opened = await openStore(path.join(dir, 'hub.db'));
  const store = opened.relay;
  const signingKey = generateSigningKey();
  const hub = await attachRelayHub(server, { store, signingKey, clock });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = `ws://127.0.0.1:${port}/relay`;
  const agents: RelayAgent[] = [];
  return {
    hub,
    url,
    port,
    signingKey,
    store,
    async startAgent(executor, via = url) {
      const id = `ex${agents.length + 1}`;
      const secret = await registerAgent(store, id, new Date().toISOString());
      const agent = new RelayAgent({
        hubUrl: via,
        agentId: id,
        secret,
        botPublicKey: createPublicKey(signingKey),
        executor,
        store: openAgentStore(path.join(dir, `${id}.db`)),
      });
      agent.start();
      await hub.waitForAgent(id, 10_000);
      agents.push(agent);
      return agent;
    },
    async close() {
      for (const agent of agents) await agent.stop(1_000);
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await opened.close();
    },
  };
}

/** A TCP proxy that holds every chunk for `oneWayMs` in each direction: a link with 2×oneWayMs round trips. */
export async function slowLink(
  targetPort: number,
  oneWayMs: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      from.on('data', (chunk) => setTimeout(() => to.write(chunk), oneWayMs));
      from.on('close', () => setTimeout(() => to.destroy(), oneWayMs));
      from.on('error', () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
