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
  /** Connects the lab agents to the hub at `botUrl` (call after the bot listens). */
  startAgent(botUrl: string): void;
  stop(): Promise<void>;
}

/** One lab agent: its id and what it runs jobs with (see lab-executor.ts); the agent closes it when it stops. */
export interface LabAgentSpec {
  readonly id: string;
  readonly executor: JobExecutor;
}

/**
 * Prepares the hub and the lab agents, one per simulated org: registers each (a new secret each start) and the
 * bot's signing key. With `executor` alone, one agent `lab-exchange`.
 */
export async function createLabRelay(
  deps: {
    store: RelayRepository;
    dir: string;
    clock: Clock;
    logger: Logger;
  } & ({ readonly executor: JobExecutor } | { readonly agents: readonly LabAgentSpec[] }),
): Promise<LabRelay> {
  const { store } = deps;
  const specs = 'agents' in deps ? deps.agents : [{ id: LAB_AGENT_ID, executor: deps.executor }];
  const signingKey = loadOrCreateSigningKey(path.join(deps.dir, 'relay-signing-key.pem'));
  const at = deps.clock.now().toISOString();
  const secrets = new Map<string, string>();
  for (const { id } of specs)
    secrets.set(
      id,
      (await store.getAgent(id)) ? await rotateAgentKey(store, id, at) : await registerAgent(store, id, at),
    );
  let agents: RelayAgent[] = [];
  return {
    attach: relayAttachment({
      store,
      signingKey,
      clock: deps.clock,
      logger: deps.logger,
      agentId: specs[0]?.id ?? LAB_AGENT_ID,
    }),
    startAgent(botUrl) {
      agents = specs.map(
        (spec) =>
          new RelayAgent({
            hubUrl: `${botUrl.replace(/^http/, 'ws')}/relay`,
            agentId: spec.id,
            secret: secrets.get(spec.id) as string,
            botPublicKey: createPublicKey(signingKey),
            executor: spec.executor,
            store: openAgentStore(path.join(deps.dir, `${spec.id}.agent.db`)),
            clock: deps.clock,
          }),
      );
      for (const agent of agents) agent.start();
    },
    stop: async () => {
      for (const agent of agents) await agent.stop();
    },
  };
}
