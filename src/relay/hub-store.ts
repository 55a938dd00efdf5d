/** The hub's durable state on the shared SQLite handle: the agent registry and every job with its result. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CodedError } from '../core/errors';
import type { SqliteDatabase } from '../store/database';
import type { JobStatus } from './protocol';
import { agentIdSchema } from './protocol';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_agents (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  rotated_at TEXT,
  revoked_at TEXT,
  last_seen_at TEXT,
  version TEXT
);
CREATE TABLE IF NOT EXISTS relay_jobs (
  job_id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL,
  run_id TEXT,
  step_id TEXT,
  mode TEXT NOT NULL,
  payload TEXT NOT NULL,
  signature TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  status TEXT,
  outcome TEXT,
  resolved_at TEXT
);
CREATE INDEX IF NOT EXISTS relay_jobs_open ON relay_jobs (agent_id, state);
`;

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
  readonly expiresAt: number;
  readonly status: JobStatus | null;
  /** The result message as JSON, once recorded. */
  readonly outcome: string | null;
}

export type Authentication = 'ok' | 'unknown' | 'bad-credential' | 'revoked';
export type RecordOutcome = 'recorded' | 'duplicate' | 'unknown-job' | 'wrong-agent';

/** The hub's registry and job table. */
export interface RelayStore {
  /** Registers an agent and returns its new secret (shown once; only its hash is kept). */
  addAgent(id: string, at: string): string;
  /** Issues a new secret for an agent (also un-revokes it); the old secret stops working at once. */
  rotateAgent(id: string, at: string): string;
  /** Revokes an agent; false when there is no such agent. */
  revokeAgent(id: string, at: string): boolean;
  authenticate(id: string, secret: string): Authentication;
  getAgent(id: string): AgentRecord | null;
  listAgents(): AgentRecord[];
  touchAgent(id: string, at: string, version?: string): void;
  insertJob(
    job: Omit<JobRecord, 'state' | 'status' | 'outcome'> & {
      runId: string | null;
      stepId: string | null;
      mode: string;
      createdAt: string;
    },
  ): void;
  /** Stores a result once, before it is acknowledged; a second result for the same job is a duplicate. */
  recordResult(jobId: string, agentId: string, status: JobStatus, outcome: string, at: string): RecordOutcome;
  markJobUnknown(jobId: string, at: string): void;
  getJob(jobId: string): JobRecord | null;
  /** Jobs sent to the agent, still without a result, that have not expired (the agent ignores ones it has). */
  openJobs(agentId: string, now: number): JobRecord[];
  openJobCount(agentId: string): number;
  /** Deletes jobs answered (or given up) before `before`; a late result for one is still acknowledged. */
  pruneJobs(before: string): number;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Checks an agent id's spelling; throws BAD_AGENT_ID. */
export function assertAgentId(id: string): void {
  if (!agentIdSchema.safeParse(id).success) {
    throw new CodedError(
      'BAD_AGENT_ID',
      `Agent id "${id.slice(0, 64)}" must be lower-case letters, digits and dashes (at most 63).`,
    );
  }
}

interface AgentRow {
  id: string;
  secret_hash: string;
  created_at: string;
  rotated_at: string | null;
  revoked_at: string | null;
  last_seen_at: string | null;
  version: string | null;
}

function toAgent(row: AgentRow): AgentRecord {
  return {
    id: row.id,
    createdAt: row.created_at,
    rotatedAt: row.rotated_at,
    revokedAt: row.revoked_at,
    lastSeenAt: row.last_seen_at,
    version: row.version,
  };
}

interface JobRow {
  job_id: string;
  agent_id: string;
  payload: string;
  signature: string;
  state: JobState;
  expires_at: number;
  status: JobStatus | null;
  outcome: string | null;
}

function toJob(row: JobRow): JobRecord {
  return {
    jobId: row.job_id,
    agentId: row.agent_id,
    payload: row.payload,
    signature: row.signature,
    state: row.state,
    expiresAt: row.expires_at,
    status: row.status,
    outcome: row.outcome,
  };
}

/** Creates the relay tables on `db` (idempotent) and returns the store. */
export function createRelayStore(db: SqliteDatabase): RelayStore {
  db.exec(SCHEMA);
  const q = {
    getAgent: db.prepare('SELECT * FROM relay_agents WHERE id = ?'),
    listAgents: db.prepare('SELECT * FROM relay_agents ORDER BY id'),
    insertAgent: db.prepare('INSERT INTO relay_agents (id, secret_hash, created_at) VALUES (?, ?, ?)'),
    rotate: db.prepare(
      'UPDATE relay_agents SET secret_hash = ?, rotated_at = ?, revoked_at = NULL WHERE id = ?',
    ),
    revoke: db.prepare('UPDATE relay_agents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    touch: db.prepare(
      'UPDATE relay_agents SET last_seen_at = ?, version = COALESCE(?, version) WHERE id = ?',
    ),
    insertJob: db.prepare(
      `INSERT INTO relay_jobs (job_id, agent_id, run_id, step_id, mode, payload, signature, state, created_at, expires_at)
       VALUES (@jobId, @agentId, @runId, @stepId, @mode, @payload, @signature, 'dispatched', @createdAt, @expiresAt)`,
    ),
    getJob: db.prepare('SELECT * FROM relay_jobs WHERE job_id = ?'),
    resolve: db.prepare(
      `UPDATE relay_jobs SET state = 'resolved', status = ?, outcome = ?, resolved_at = ?
       WHERE job_id = ? AND agent_id = ? AND state != 'resolved'`,
    ),
    unknown: db.prepare(
      "UPDATE relay_jobs SET state = 'unknown', resolved_at = ? WHERE job_id = ? AND state = 'dispatched'",
    ),
    open: db.prepare(
      "SELECT * FROM relay_jobs WHERE agent_id = ? AND state = 'dispatched' AND expires_at > ? ORDER BY created_at",
    ),
    openCount: db.prepare("SELECT COUNT(*) AS n FROM relay_jobs WHERE agent_id = ? AND state = 'dispatched'"),
    prune: db.prepare("DELETE FROM relay_jobs WHERE state != 'dispatched' AND resolved_at < ?"),
  };
  const agentRow = (id: string) => q.getAgent.get(id) as AgentRow | undefined;

  return {
    addAgent(id, at) {
      assertAgentId(id);
      if (agentRow(id)) {
        throw new CodedError('AGENT_EXISTS', `Agent ${id} is already registered; rotate its key instead.`);
      }
      const secret = newSecret();
      q.insertAgent.run(id, hashSecret(secret), at);
      return secret;
    },
    rotateAgent(id, at) {
      if (!agentRow(id)) throw new CodedError('UNKNOWN_AGENT', `No agent ${id} is registered.`);
      const secret = newSecret();
      q.rotate.run(hashSecret(secret), at, id);
      return secret;
    },
    revokeAgent(id, at) {
      if (!agentRow(id)) return false;
      q.revoke.run(at, id);
      return true;
    },
    authenticate(id, secret) {
      const row = agentRow(id);
      if (!row) return 'unknown';
      const given = Buffer.from(hashSecret(secret), 'hex');
      const known = Buffer.from(row.secret_hash, 'hex');
      if (given.length !== known.length || !timingSafeEqual(given, known)) return 'bad-credential';
      return row.revoked_at ? 'revoked' : 'ok';
    },
    getAgent(id) {
      const row = agentRow(id);
      return row ? toAgent(row) : null;
    },
    listAgents() {
      return (q.listAgents.all() as AgentRow[]).map(toAgent);
    },
    touchAgent(id, at, version) {
      q.touch.run(at, version ?? null, id);
    },
    insertJob(job) {
      q.insertJob.run(job);
    },
    recordResult(jobId, agentId, status, outcome, at) {
      if (q.resolve.run(status, outcome, at, jobId, agentId).changes === 1) return 'recorded';
      const row = q.getJob.get(jobId) as JobRow | undefined;
      if (!row) return 'unknown-job';
      if (row.agent_id !== agentId) return 'wrong-agent';
      return 'duplicate';
    },
    markJobUnknown(jobId, at) {
      q.unknown.run(at, jobId);
    },
    getJob(jobId) {
      const row = q.getJob.get(jobId) as JobRow | undefined;
      return row ? toJob(row) : null;
    },
    openJobs(agentId, now) {
      return (q.open.all(agentId, now) as JobRow[]).map(toJob);
    },
    openJobCount(agentId) {
      return (q.openCount.get(agentId) as { n: number }).n;
    },
    pruneJobs(before) {
      return q.prune.run(before).changes;
    },
  };
}
