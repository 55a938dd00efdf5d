/** The default store: one SQLite file in WAL mode; every journal write is committed before the engine moves on. */
import { openDatabase, type SqliteDatabase } from './database';
import type {
  AuditEntry,
  CommandRecord,
  NewAuditEntry,
  RunRecord,
  RunState,
  RunStore,
  StepRecord,
  StepState,
} from './types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY, runbook TEXT NOT NULL, target TEXT NOT NULL, inputs TEXT NOT NULL,
  requested_by TEXT NOT NULL, approved_by TEXT, state TEXT NOT NULL,
  created_at TEXT NOT NULL, finished_at TEXT
);
CREATE INDEX IF NOT EXISTS runs_unfinished ON runs(runbook, target, inputs, state);
CREATE TABLE IF NOT EXISTS run_steps (
  run_id TEXT NOT NULL REFERENCES runs(id), step_id TEXT NOT NULL, position INTEGER NOT NULL,
  title TEXT NOT NULL, state TEXT NOT NULL, change TEXT NOT NULL, error TEXT,
  PRIMARY KEY (run_id, step_id)
);
CREATE TABLE IF NOT EXISTS run_commands (
  run_id TEXT NOT NULL REFERENCES runs(id), step_id TEXT NOT NULL, text TEXT NOT NULL,
  state TEXT NOT NULL, started_at TEXT NOT NULL, duration_ms INTEGER, result TEXT,
  PRIMARY KEY (run_id, text)
);
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  run_id TEXT, runbook TEXT, target TEXT, detail TEXT NOT NULL, outcome TEXT, duration_ms INTEGER
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;

interface RunRow {
  id: string;
  runbook: string;
  target: string;
  inputs: string;
  requested_by: string;
  approved_by: string | null;
  state: RunState;
  created_at: string;
  finished_at: string | null;
}

function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    runbook: row.runbook,
    target: row.target,
    inputs: row.inputs,
    requestedBy: row.requested_by,
    approvedBy: row.approved_by,
    state: row.state,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** Opens the run store on the database file at `file` (`:memory:` for a throwaway one). */
export function openSqliteStore(file: string): RunStore {
  return createRunStore(openDatabase(file), true);
}

/** The run store on an already open database; `ownsDatabase` closes it with the store. */
export function createRunStore(db: SqliteDatabase, ownsDatabase = false): RunStore {
  db.exec(SCHEMA);

  const statements = {
    insertRun: db.prepare(
      `INSERT INTO runs (id, runbook, target, inputs, requested_by, approved_by, state, created_at)
       VALUES (@id, @runbook, @target, @inputs, @requestedBy, @approvedBy, 'running', @createdAt)`,
    ),
    insertStep: db.prepare(
      `INSERT INTO run_steps (run_id, step_id, position, title, state, change, error)
       VALUES (@runId, @stepId, @position, @title, @state, @change, @error)`,
    ),
    findUnfinished: db.prepare(
      `SELECT * FROM runs WHERE runbook = ? AND target = ? AND inputs = ? AND state = 'running'
       ORDER BY created_at DESC LIMIT 1`,
    ),
    getRun: db.prepare('SELECT * FROM runs WHERE id = ?'),
    listSteps: db.prepare(
      `SELECT run_id AS runId, step_id AS stepId, position, title, state, change, error
       FROM run_steps WHERE run_id = ? ORDER BY position`,
    ),
    setStep: db.prepare('UPDATE run_steps SET state = ?, error = ? WHERE run_id = ? AND step_id = ?'),
    finishRun: db.prepare('UPDATE runs SET state = ?, finished_at = ? WHERE id = ?'),
    startCommand: db.prepare(
      `INSERT INTO run_commands (run_id, step_id, text, state, started_at) VALUES (?, ?, ?, 'started', ?)
       ON CONFLICT (run_id, text) DO UPDATE SET state = 'started', started_at = excluded.started_at`,
    ),
    finishCommand: db.prepare(
      'UPDATE run_commands SET state = ?, duration_ms = ?, result = ? WHERE run_id = ? AND text = ?',
    ),
    listCommands: db.prepare(
      `SELECT run_id AS runId, step_id AS stepId, text, state, started_at AS startedAt,
              duration_ms AS durationMs, result FROM run_commands WHERE run_id = ? ORDER BY rowid`,
    ),
    appendAudit: db.prepare(
      `INSERT INTO audit_log (at, actor, action, run_id, runbook, target, detail, outcome, duration_ms)
       VALUES (@at, @actor, @action, @runId, @runbook, @target, @detail, @outcome, @durationMs)`,
    ),
    listAudit: db.prepare(
      `SELECT seq, at, actor, action, run_id AS runId, runbook, target, detail, outcome, duration_ms AS durationMs
       FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
    ),
  };

  const createRun = db.transaction(
    (run: Omit<RunRecord, 'finishedAt' | 'state'>, steps: readonly Omit<StepRecord, 'runId'>[]) => {
      statements.insertRun.run(run);
      for (const step of steps) statements.insertStep.run({ ...step, runId: run.id });
    },
  );

  return {
    createRun: (run, steps) => createRun(run, steps),
    findUnfinishedRun(runbook, target, inputs) {
      const row = statements.findUnfinished.get(runbook, target, inputs) as RunRow | undefined;
      return row ? toRun(row) : null;
    },
    getRun(runId) {
      const row = statements.getRun.get(runId) as RunRow | undefined;
      return row ? toRun(row) : null;
    },
    listSteps: (runId) => statements.listSteps.all(runId) as StepRecord[],
    setStepState(runId: string, stepId: string, state: StepState, error: string | null = null) {
      statements.setStep.run(state, error, runId, stepId);
    },
    finishRun(runId, state, at) {
      statements.finishRun.run(state, at, runId);
    },
    startCommand(runId, stepId, text, at) {
      statements.startCommand.run(runId, stepId, text, at);
    },
    finishCommand(runId, text, state, durationMs, result) {
      statements.finishCommand.run(state, Math.round(durationMs), result, runId, text);
    },
    listCommands: (runId) => statements.listCommands.all(runId) as CommandRecord[],
    appendAudit(entry: NewAuditEntry) {
      statements.appendAudit.run(entry);
    },
    listAudit: (limit = 200) => statements.listAudit.all(limit) as AuditEntry[],
    close: () => {
      if (ownsDatabase) db.close();
    },
  };
}
