/** Registering and rotating relay agents: the id is checked here, and the store's outcomes become coded errors. */
import { CodedError } from '../core/errors';
import type { RelayRepository } from '../store/relay-repository';
import { agentIdSchema } from './protocol';

/** Checks an agent id's spelling; throws BAD_AGENT_ID. */
export function assertAgentId(id: string): void {
  if (!agentIdSchema.safeParse(id).success) {
    throw new CodedError(
      'BAD_AGENT_ID',
      `Agent id "${id.slice(0, 64)}" must be lower-case letters, digits and dashes (at most 63).`,
    );
  }
}

/** Registers a new agent and returns its secret (shown once); throws BAD_AGENT_ID or AGENT_EXISTS. */
export async function registerAgent(
  registry: Pick<RelayRepository, 'addAgent'>,
  id: string,
  at: string,
): Promise<string> {
  assertAgentId(id);
  const added = await registry.addAgent(id, at);
  if (added.outcome !== 'added')
    throw new CodedError('AGENT_EXISTS', `Agent ${id} is already registered; rotate its key instead.`);
  return added.secret;
}

/** Issues a new secret for a registered agent (the old one stops working at once); throws UNKNOWN_AGENT. */
export async function rotateAgentKey(
  registry: Pick<RelayRepository, 'rotateAgent'>,
  id: string,
  at: string,
): Promise<string> {
  const rotated = await registry.rotateAgent(id, at);
  if (rotated.outcome !== 'rotated') throw new CodedError('UNKNOWN_AGENT', `No agent ${id} is registered.`);
  return rotated.secret;
}
