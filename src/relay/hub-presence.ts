/** Who is connected: waiting for an agent to arrive, and the operator's view of every registered agent. */
import type { RelayRepository } from '../store/relay-repository';
import type { AgentView } from './hub-types';

/** Live facts about a connected agent. */
export interface LiveAgent {
  readonly hello: boolean;
  readonly lastSeen: number;
  readonly version: string | null;
}

/** Lets callers wait (bounded) until an agent says hello. */
export class Arrivals {
  private readonly listeners = new Set<(agentId: string) => void>();

  /** Tells the waiters that `agentId` has just said hello. */
  arrived(agentId: string): void {
    for (const listener of this.listeners) listener(agentId);
  }

  /** True once the agent arrives (at once if `connected`), false after `timeoutMs`. */
  wait(agentId: string, connected: boolean, timeoutMs: number): Promise<boolean> {
    if (connected) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const done = (arrived: boolean) => {
        this.listeners.delete(listener);
        clearTimeout(timer);
        resolve(arrived);
      };
      const listener = (id: string) => id === agentId && done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.listeners.add(listener);
    });
  }
}

/** Every registered agent, with live state where it is connected (here, or on another replica: `elsewhere`). */
export async function agentViews(
  store: Pick<RelayRepository, 'listAgents' | 'openJobCount'>,
  live: (agentId: string) => LiveAgent | undefined,
  elsewhere: ReadonlySet<string> = new Set(),
): Promise<AgentView[]> {
  const agents = await store.listAgents();
  return Promise.all(
    agents.map(async (agent) => {
      const connection = live(agent.id);
      return {
        id: agent.id,
        connected: connection?.hello === true || elsewhere.has(agent.id),
        lastSeenAt: connection ? new Date(connection.lastSeen).toISOString() : agent.lastSeenAt,
        version: connection?.version ?? agent.version,
        jobsInFlight: await store.openJobCount(agent.id),
        revoked: agent.revokedAt !== null,
      };
    }),
  );
}
