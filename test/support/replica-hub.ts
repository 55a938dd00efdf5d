/** A replica in this process: its store on the shared PostgreSQL database, and a relay hub on a port of its own. */
import http from 'node:http';
import type net from 'node:net';
import type { Clock } from '../../src/core/ports';
import { attachRelayHub } from '../../src/relay/hub';
import type { RelayHub } from '../../src/relay/hub-types';
import type { generateSigningKey } from '../../src/relay/signing';
import { openStore } from '../../src/store/open-store';
import { type Replica, startReplica } from '../../src/store/replica';
import type { Store } from '../../src/store/store';

export interface InProcessReplica {
  readonly store: Store;
  readonly replica: Replica;
  readonly hub: RelayHub;
  /** Where its agents dial: ws://127.0.0.1:<port>/relay. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a replica on `dbUrl` with its hub; `poolSize` and `leaseMs` as the store and replica take them. */
export async function startInProcessReplica(
  dbUrl: string,
  signingKey: ReturnType<typeof generateSigningKey>,
  clock: Clock,
  options: { readonly poolSize?: number; readonly leaseMs?: number } = {},
): Promise<InProcessReplica> {
  const store = await openStore(dbUrl, options.poolSize ? { poolSize: options.poolSize } : {});
  const replica = (await startReplica(store, {
    clock,
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
  })) as Replica;
  const server = http.createServer();
  const hub = await attachRelayHub(server, { store: store.relay, signingKey, clock, replica });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    store,
    replica,
    hub,
    url: `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/relay`,
    async close() {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await replica.stop();
      await store.close();
    },
  };
}
