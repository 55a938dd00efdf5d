/** The lab's relay: a hub and an agent on a loopback WebSocket, so the lab runs the same path as production. */
import { createPublicKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodedError } from '../core/errors';
import type { Clock } from '../core/ports';
import type { SimulatedExchange } from '../lab/exchange-org';
import { labExecutor } from '../lab/relay-executor';
import { RelayAgent } from '../relay/agent-client';
import { registerAgent } from '../relay/agent-registry';
import { createAgentStore } from '../relay/agent-store';
import { RelayEmsRunner } from '../relay/ems-runner';
import { attachRelayHub } from '../relay/hub';
import type { RelayHub } from '../relay/hub-types';
import { generateSigningKey } from '../relay/signing';
import { openDatabase } from '../store/database';
import { openStore } from '../store/open-store';

/** A running loopback relay in front of a simulated org. */
export interface LoopbackRelay {
  readonly hub: RelayHub;
  /** The EmsRunner that goes hub → WebSocket → agent → simulated org. */
  readonly ems: RelayEmsRunner;
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a hub on 127.0.0.1 (throwaway registry and journals) and one agent running jobs on `exchange`. */
export async function startLoopbackRelay(
  exchange: SimulatedExchange,
  clock: Clock,
  agentId = 'lab',
): Promise<LoopbackRelay> {
  const server = http.createServer((_req, res) => {
    // Not chained: restify (loaded with the bot in the same process) replaces ServerResponse.writeHead with
    // one that returns nothing.
    res.writeHead(404);
    res.end();
  });
  const hubStore = await openStore(':memory:');
  const store = hubStore.relay;
  const signingKey = generateSigningKey();
  const hub = await attachRelayHub(server, { store, signingKey, clock });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/relay`;
  const agent = new RelayAgent({
    hubUrl: url,
    agentId,
    secret: await registerAgent(store, agentId, clock.now().toISOString()),
    botPublicKey: createPublicKey(signingKey),
    executor: labExecutor(exchange),
    store: createAgentStore(openDatabase(':memory:')),
    clock,
    backoff: { initialMs: 50, maxMs: 1_000 },
  });
  agent.start();
  const close = async () => {
    await agent.stop(1_000);
    await hub.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await hubStore.close();
  };
  if (!(await hub.waitForAgent(agentId, 10_000))) {
    await close();
    throw new CodedError('AGENT_NOT_CONNECTED', 'The lab relay agent did not connect to its loopback hub.');
  }
  return { hub, ems: new RelayEmsRunner(hub, { agentId }), url, close };
}
