/** The relay hub on the bot's HTTP server, with Exchange commands sent to one agent. */
import type { KeyObject } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import type { Clock, EmsRunner } from '../core/ports';
import type { RelayRepository } from '../store/relay-repository';
import type { Replica } from '../store/replica';
import { RelayEmsRunner } from './ems-runner';
import { attachRelayHub } from './hub';
import type { AgentView } from './hub-types';

/** What a relay brings once attached to the bot's HTTP server. */
export interface AttachedRelay {
  /** Exchange, through the agent next to it (the attachment's `agentId`). */
  readonly ems: EmsRunner;
  /** Exchange of another org, through its own agent on the same hub. */
  emsFor(agentId: string): EmsRunner;
  /** Every registered agent with its live state (the `agents` command). */
  listAgents(): Promise<readonly AgentView[]>;
  close(): Promise<void>;
}

/** For createApp's `attachRelay`: attaches the hub on `/relay` and runs Exchange commands on `agentId`. */
export function relayAttachment(deps: {
  store: RelayRepository;
  signingKey: KeyObject;
  clock: Clock;
  logger: Logger;
  agentId: string;
  /** With replicas on PostgreSQL: jobs reach the agent on whichever replica holds its connection. */
  replica?: Replica | null;
}): (server: HttpServer) => Promise<AttachedRelay> {
  return async (server) => {
    const hub = await attachRelayHub(server, {
      store: deps.store,
      signingKey: deps.signingKey,
      clock: deps.clock,
      logger: deps.logger.child({ component: 'relay' }),
      replica: deps.replica ?? null,
    });
    return {
      ems: new RelayEmsRunner(hub, { agentId: deps.agentId }),
      emsFor: (agentId) => new RelayEmsRunner(hub, { agentId }),
      listAgents: () => hub.listAgents(),
      close: () => hub.close(),
    };
  };
}
