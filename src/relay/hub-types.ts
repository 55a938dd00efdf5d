/** What the hub offers the engine and the operator view. */
import type { EmsCommand, EmsResult } from '../core/ems';
import type { JobStatus } from './protocol';

/** A job to send to one agent. */
export interface DispatchRequest {
  readonly agentId: string;
  readonly mode: 'single' | 'reads';
  readonly commands: readonly EmsCommand[];
  readonly runId?: string;
  readonly stepId?: string;
  readonly attempt?: number;
  /** How long the agent may take to run it; the hub waits this long plus the time to deliver it. */
  readonly timeoutMs?: number;
  readonly onProgress?: (done: number, of: number) => void;
}

/** How a job ended, as the agent reported it. */
export interface JobOutcome {
  readonly jobId: string;
  readonly status: JobStatus;
  readonly results: readonly EmsResult[];
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly durationMs: number;
}

/** One agent as the operator sees it: the data for `agents list` and the "agents" chat command. */
export interface AgentView {
  readonly id: string;
  readonly connected: boolean;
  readonly lastSeenAt: string | null;
  readonly version: string | null;
  readonly jobsInFlight: number;
  readonly revoked: boolean;
}

/** The bot side of the relay. */
export interface RelayHub {
  /** Signs, stores and sends a job; resolves with the agent's result, rejects (OUTCOME_UNKNOWN) if none arrives in time. */
  dispatch(request: DispatchRequest): Promise<JobOutcome>;
  /** Every registered agent with its live state. */
  listAgents(): Promise<AgentView[]>;
  isConnected(agentId: string): boolean;
  /** Resolves true once the agent is connected (at once if it is), false after `timeoutMs`. */
  waitForAgent(agentId: string, timeoutMs: number): Promise<boolean>;
  /** Revokes an agent and drops its connection now; false when there is no such agent. */
  revokeAgent(agentId: string): Promise<boolean>;
  /** Stops accepting agents, closes their connections and fails pending dispatches as unknown. */
  close(): Promise<void>;
}
