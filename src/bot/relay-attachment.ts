/** The relay hub on the bot's HTTP server, with Exchange commands sent to one agent and the agents listed in chat. */
import type { KeyObject } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import type { AttachedRelay } from '../app';
import type { Clock } from '../core/ports';
import { RelayEmsRunner } from '../relay/ems-runner';
import { attachRelayHub } from '../relay/hub';
import type { RelayStore } from '../relay/hub-store';
import type { AgentSummary } from './services';

/** For createApp's `attachRelay`: attaches the hub on `/relay` and runs Exchange commands on `agentId`. */
export function relayAttachment(deps: {
  store: RelayStore;
  signingKey: KeyObject;
  clock: Clock;
  logger: Logger;
  agentId: string;
}): (server: HttpServer) => AttachedRelay {
  return (server) => {
    const hub = attachRelayHub(server, {
      store: deps.store,
      signingKey: deps.signingKey,
      clock: deps.clock,
      logger: deps.logger.child({ component: 'relay' }),
    });
    const listAgents = (): AgentSummary[] =>
      hub.listAgents().map((view) => ({
        id: view.id,
        name: `${view.id}${view.connected ? ' (connected)' : ' (not connected)'}${view.revoked ? ' — revoked' : ''}${view.jobsInFlight ? ` · ${view.jobsInFlight} job(s) in flight` : ''}`,
        ...(view.lastSeenAt ? { lastSeenAt: view.lastSeenAt } : {}),
        ...(view.version ? { version: view.version } : {}),
      }));
    return {
      ems: new RelayEmsRunner(hub, { agentId: deps.agentId }),
      parts: { listAgents },
      close: () => hub.close(),
    };
  };
}
