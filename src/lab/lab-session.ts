/** Opens a lab file as a live org: the simulated Exchange and the simulated Graph endpoint, over real HTTPS. */
import type { Clock, EmsRunner, GraphPort } from '../engine/ports';
import { createGraphClient } from '../graph/graph-client';
import { MsGraphPort } from '../graph/graph-port';
import { SimulatedExchange } from './exchange-org';
import { startLabGraphServer } from './graph-server';
import { loadLabFile, saveLabFile } from './lab-file';
import type { LabState } from './state';

export interface LabSession {
  readonly state: LabState;
  readonly exchange: SimulatedExchange;
  readonly ems: EmsRunner;
  readonly graph: GraphPort;
  close(): Promise<void>;
}

/** Loads the lab file and serves it: every change is written back to the file before it is acknowledged. */
export async function openLabSession(file: string, clock: Clock): Promise<LabSession> {
  const state = loadLabFile(file);
  const persist = () => saveLabFile(file, state);
  const exchange = new SimulatedExchange(state, { clock, persist });
  const server = await startLabGraphServer({ state, persist, clock });
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
