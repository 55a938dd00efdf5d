/** Opens a lab file as a live org: the simulated Exchange and the simulated Graph endpoint, over real HTTPS. */
import type { Clock, EmsRunner, GraphPort } from '../core/ports';
import { createGraphClient } from '../graph/graph-client';
import { MsGraphPort } from '../graph/graph-port';
import { SimulatedExchange } from './exchange-org';
import { startLabGraphServer } from './graph-server';
import { loadLabFile, saveLabFile } from './lab-file';
import type { LabState } from './state';
import type { LabTls } from './tls';

export interface LabSession {
  readonly state: LabState;
  readonly exchange: SimulatedExchange;
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  close(): Promise<void>;
}

export interface ServeLabOptions {
  readonly clock: Clock;
  /** Called after every change, before it is acknowledged; the lab file's durable save, or nothing in memory. */
  readonly persist: () => void;
  /** Reuse one TLS identity across many orgs (certificate generation is the slow part of starting one). */
  readonly tls?: LabTls;
}

/** Serves a lab state as a live org: the simulated Exchange and the lab Graph endpoint over real HTTPS. */
export async function serveLabState(state: LabState, options: ServeLabOptions): Promise<LabSession> {
  const { clock, persist } = options;
  const exchange = new SimulatedExchange(state, { clock, persist });
  const server = await startLabGraphServer({
    state,
    persist,
    clock,
    ...(options.tls ? { tls: options.tls } : {}),
  });
  const connection = createGraphClient({
    baseUrl: server.url,
    authorityHost: server.authorityHost,
    tenantId: server.tenantId,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    caPem: server.caPem,
  });
  const ems: EmsRunner = {
    run: (command) => exchange.execute(command),
    runReads: (commands) => exchange.executeReads(commands),
  };
  return {
    state,
    exchange,
    ems,
    graph: new MsGraphPort({ client: connection.client, clock }),
    close: async () => {
      await connection.close();
      await server.close();
    },
  };
}

/** Loads the lab file and serves it: every change is written back to the file before it is acknowledged. */
export async function openLabSession(file: string, clock: Clock): Promise<LabSession> {
  const state = loadLabFile(file);
  return serveLabState(state, { clock, persist: () => saveLabFile(file, state) });
}
