/** The agent's journal on local SQLite: every job accepted (with its nonce) and every result until the hub acknowledges it. */

import type { EmsCommand } from '../core/ems';
import { openDatabase, type SqliteDatabase } from '../store/database';
import type { ResultMessage } from './protocol';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS agent_jobs (
  job_id TEXT PRIMARY KEY,
  nonce TEXT NOT NULL UNIQUE,
  expires_at INTEGER NOT NULL,
  mode TEXT NOT NULL,
  commands TEXT NOT NULL,
  state TEXT NOT NULL,
  status TEXT,
  result TEXT,
  acked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS agent_jobs_outbox ON agent_jobs (state, acked);
`;

/** A finished job's result frame, kept until the hub acknowledges it. */
export interface OutboxEntry {
  readonly jobId: string;
  readonly status: ResultMessage['status'];
  /** The serialised result message, stored and sent byte for byte the same. */
  readonly frame: string;
}

/** What the agent journals when it accepts a job. */
export interface NewJob {
  readonly jobId: string;
  readonly nonce: string;
  readonly expiresAt: number;
  readonly mode: 'single' | 'reads';
  readonly commands: readonly EmsCommand[];
}

/** A job in the agent's journal. */
export interface JournaledJob {
  readonly jobId: string;
  readonly nonce: string;
  readonly mode: 'single' | 'reads';
  readonly commands: readonly EmsCommand[];
  readonly state: 'running' | 'done';
  /** The result frame exactly as sent to the hub, once the job finished. */
  readonly result: OutboxEntry | null;
  readonly acked: boolean;
}

/** The agent's durable journal and outbox. */
export interface AgentStore {
  findJob(jobId: string): JournaledJob | null;
  /**
   * Journals a job before it is acknowledged or run: `accepted`, or the journal entry of the same job id
   * (delivered again), or `replayed-nonce` when another job already used its nonce.
   */
  beginJob(job: NewJob): 'accepted' | 'replayed-nonce' | JournaledJob;
  /** Stores the result before it is sent; it stays in the outbox until the hub acknowledges it. */
  finishJob(entry: OutboxEntry): void;
  markAcked(jobId: string): void;
  unackedResults(): OutboxEntry[];
  /** Jobs journaled as running: the previous process died while they ran. */
  interruptedJobs(): JournaledJob[];
  /** Forgets acknowledged jobs whose nonces can no longer be replayed (expired before `before`). */
  prune(before: number): number;
  close(): void;
}

interface Row {
  job_id: string;
  nonce: string;
  mode: 'single' | 'reads';
  commands: string;
  state: 'running' | 'done';
  status: string | null;
  result: string | null;
  acked: number;
}

function toJob(row: Row): JournaledJob {
  return {
    jobId: row.job_id,
    nonce: row.nonce,
    mode: row.mode,
    commands: JSON.parse(row.commands) as EmsCommand[],
    state: row.state,
    result: row.result
      ? { jobId: row.job_id, status: row.status as OutboxEntry['status'], frame: row.result }
      : null,
    acked: row.acked === 1,
  };
}

/** Opens the agent journal at `file` (`:memory:` for tests that don't restart). */
export function openAgentStore(file: string): AgentStore {
  return createAgentStore(openDatabase(file));
}

/** The agent journal on an open database; closing the store closes the database. */
export function createAgentStore(db: SqliteDatabase): AgentStore {
  db.exec(SCHEMA);
  const q = {
    find: db.prepare('SELECT * FROM agent_jobs WHERE job_id = ?'),
    nonce: db.prepare('SELECT job_id FROM agent_jobs WHERE nonce = ?'),
    begin: db.prepare(
      "INSERT INTO agent_jobs (job_id, nonce, expires_at, mode, commands, state) VALUES (?, ?, ?, ?, ?, 'running')",
    ),
    finish: db.prepare("UPDATE agent_jobs SET state = 'done', status = ?, result = ? WHERE job_id = ?"),
    ack: db.prepare('UPDATE agent_jobs SET acked = 1 WHERE job_id = ?'),
    outbox: db.prepare(
      "SELECT job_id, status, result FROM agent_jobs WHERE state = 'done' AND acked = 0 ORDER BY rowid",
    ),
    running: db.prepare("SELECT * FROM agent_jobs WHERE state = 'running' ORDER BY rowid"),
    prune: db.prepare('DELETE FROM agent_jobs WHERE acked = 1 AND expires_at < ?'),
  };
  return {
    findJob(jobId) {
      const row = q.find.get(jobId) as Row | undefined;
      return row ? toJob(row) : null;
    },
    beginJob(job) {
      // One INSERT on the common path; the primary key and the nonce's UNIQUE constraint catch the rest.
      try {
        q.begin.run(job.jobId, job.nonce, job.expiresAt, job.mode, JSON.stringify(job.commands));
        return 'accepted';
      } catch (error) {
        if (!String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) throw error;
      }
      const row = q.find.get(job.jobId) as Row | undefined;
      if (row) return toJob(row);
      if (q.nonce.get(job.nonce)) return 'replayed-nonce';
      throw new Error(`Job ${job.jobId} could not be journaled.`);
    },
    finishJob(entry) {
      q.finish.run(entry.status, entry.frame, entry.jobId);
    },
    markAcked(jobId) {
      q.ack.run(jobId);
    },
    unackedResults() {
      return (q.outbox.all() as { job_id: string; status: OutboxEntry['status']; result: string }[]).map(
        (row) => ({
          jobId: row.job_id,
          status: row.status,
          frame: row.result,
        }),
      );
    },
    interruptedJobs() {
      return (q.running.all() as Row[]).map(toJob);
    },
    prune(before) {
      return q.prune.run(before).changes;
    },
    close() {
      db.close();
    },
  };
}
