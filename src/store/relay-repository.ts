/** The relay hub's records: the agent registry (hashed secrets) and the durable job table. */
import type { Notice } from './cluster-repository';

/** A registered agent as the operator sees it. */
export interface AgentRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly rotatedAt: string | null;
  readonly revokedAt: string | null;
  readonly lastSeenAt: string | null;
  readonly version: string | null;
}

/** `dispatched` until a result is stored; `unknown` when the hub stopped waiting (a late result still resolves it). */
export type JobState = 'dispatched' | 'resolved' | 'unknown';

/** A job the hub signed for an agent. */
export interface JobRecord {
  readonly jobId: string;
  readonly agentId: string;
  readonly payload: string;
  readonly signature: string;
  readonly state: JobState;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  /** The relay protocol's job status, once a result is recorded. */
  readonly status: string | null;
  /** The result message as JSON, once recorded. */
  readonly outcome: string | null;
}

export type NewJob = Omit<JobRecord, 'state' | 'status' | 'outcome'> & {
  readonly runId: string | null;
  readonly stepId: string | null;
  readonly mode: string;
  readonly createdAt: string;
};

export type Authentication = 'ok' | 'unknown' | 'bad-credential' | 'revoked';
export type RecordOutcome = 'recorded' | 'duplicate' | 'unknown-job' | 'wrong-agent';

/** A new secret (shown once; only its hash is kept), or why none was issued. */
export type AgentSecret =
  | { readonly outcome: 'added' | 'rotated'; readonly secret: string }
  | { readonly outcome: 'exists' | 'unknown-agent' };

/** The hub's registry and job table. Agent ids are checked by the relay before they get here. */
export interface RelayRepository {
  /** Registers an agent and returns its secret; `exists` when the id is taken. */
  addAgent(id: string, at: string): Promise<AgentSecret>;
  /** Issues a new secret (also un-revokes the agent); the old one stops working at once. */
  rotateAgent(id: string, at: string): Promise<AgentSecret>;
  /** Revokes an agent (keeping the first revocation time); false when there is no such agent. */
  revokeAgent(id: string, at: string): Promise<boolean>;
  authenticate(id: string, secret: string): Promise<Authentication>;
  getAgent(id: string): Promise<AgentRecord | null>;
  /** Every agent, by id. */
  listAgents(): Promise<AgentRecord[]>;
  touchAgent(id: string, at: string, version?: string): Promise<void>;
  /** Stores a job; `notice` (another replica's message about it) goes out with the insert's commit. */
  insertJob(job: NewJob, notice?: Notice): Promise<void>;
  /**
   * Stores a result once, before it is acknowledged; a second result for the same job is a duplicate.
   * `notice` goes out with the commit, and only when the result is `recorded`.
   */
  recordResult(
    jobId: string,
    agentId: string,
    status: string,
    outcome: string,
    at: string,
    notice?: Notice,
  ): Promise<RecordOutcome>;
  markJobUnknown(jobId: string, at: string): Promise<void>;
  getJob(jobId: string): Promise<JobRecord | null>;
  /** Jobs sent to the agent, still without a result, that have not expired by `now` (epoch ms), oldest first. */
  openJobs(agentId: string, now: number): Promise<JobRecord[]>;
  openJobCount(agentId: string): Promise<number>;
  /** Deletes jobs answered (or given up) before `before`; returns how many. A late result for one is `unknown-job`. */
  pruneJobs(before: string): Promise<number>;
}
