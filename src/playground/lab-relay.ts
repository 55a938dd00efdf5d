/** The lab's relay: the hub on the bot's server and one agent running jobs on the simulated org, as on-premises. */
import { createPublicKey } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../core/ports';
import { RelayAgent } from '../relay/agent-client';
import { registerAgent, rotateAgentKey } from '../relay/agent-registry';
import { openAgentStore } from '../relay/agent-store';
import { type AttachedRelay, relayAttachment } from '../relay/attachment';
import type { JobExecutor } from '../relay/executors/types';
import { loadOrCreateSigningKey } from '../relay/signing';
import type { RelayRepository } from '../store/relay-repository';

export const LAB_AGENT_ID = 'lab-exchange';

export interface LabRelay {
  /** For createApp's `attachRelay`. */
  readonly attach: (server: HttpServer) => Promise<AttachedRelay>;
  /** Connects the lab agent to the hub at `botUrl` (call after the bot listens). */
  startAgent(botUrl: string): void;
  stop(): Promise<void>;
}

/** Prepares the hub and the lab agent: registers the agent (a new secret each start) and the bot's signing key. */
export async function createLabRelay(deps: {
  store: RelayRepository;
  dir: string;
  clock: Clock;
  logger: Logger;
  /** What the agent runs jobs with (see lab-executor.ts); the agent closes it when it stops. */
  executor: JobExecutor;
}): Promise<LabRelay> {
  const { store } = deps;
  const signingKey = loadOrCreateSigningKey(path.join(deps.dir, 'relay-signing-key.pem'));
  const at = deps.clock.now().toISOString();
  const secret = (await store.getAgent(LAB_AGENT_ID))
    ? await rotateAgentKey(store, LAB_AGENT_ID, at)
    : await registerAgent(store, LAB_AGENT_ID, at);
  let agent: RelayAgent | null = null;
  return {
    attach: relayAttachment({
      store,
      signingKey,
      clock: deps.clock,
      logger: deps.logger,
      agentId: LAB_AGENT_ID,
    }),
    startAgent(botUrl) {
      agent = new RelayAgent({
        hubUrl: `${botUrl.replace(/^http/, 'ws')}/relay`,
        agentId: LAB_AGENT_ID,
        secret,
        botPublicKey: createPublicKey(signingKey),
        executor: deps.executor,
        store: openAgentStore(path.join(deps.dir, `${LAB_AGENT_ID}.agent.db`)),
        clock: deps.clock,
      });
      agent.start();
    },
    stop: async () => {
      await agent?.stop();
    },
  };
}
