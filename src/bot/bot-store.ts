/** The bot's own tables on the shared database: plans shown on cards, approvals, and conversation references. */
import type { ConversationReference } from 'botbuilder';
import type { SqliteDatabase } from '../store/database';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS bot_plans (
  id TEXT PRIMARY KEY, runbook TEXT NOT NULL, inputs TEXT NOT NULL, hash TEXT NOT NULL, plan TEXT NOT NULL,
  conversation_id TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bot_approvals (
  id TEXT PRIMARY KEY, plan_id TEXT NOT NULL REFERENCES bot_plans(id), conversation_id TEXT NOT NULL,
  requester TEXT NOT NULL, requester_name TEXT NOT NULL, plan_hash TEXT NOT NULL, approvers TEXT NOT NULL,
  state TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
  decided_by TEXT, decided_by_name TEXT, decided_at TEXT, run_id TEXT, message_id TEXT, reason TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS bot_approvals_one_per_plan ON bot_approvals(plan_id);
CREATE TABLE IF NOT EXISTS bot_conversations (
  key TEXT PRIMARY KEY, reference TEXT NOT NULL, updated_at TEXT NOT NULL, removed_at TEXT
);
`;

export interface PlanRecord {
  readonly id: string;
  readonly runbook: string;
  /** The validated inputs, as JSON. */
  readonly inputs: string;
  readonly hash: string;
  /** The plan as shown on the card, as JSON. */
  readonly plan: string;
  readonly conversationId: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

export type ApprovalState = 'pending' | 'approved' | 'rejected' | 'superseded' | 'cancelled';

export interface ApprovalRecord {
  readonly id: string;
  readonly planId: string;
  readonly conversationId: string;
  /** Entra object id of the operator who asked. */
  readonly requester: string;
  readonly requesterName: string;
  readonly planHash: string;
  /** Entra object ids allowed to decide (the requester is never among them). */
  readonly approvers: readonly string[];
  readonly state: ApprovalState;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly decidedBy: string | null;
  readonly decidedByName: string | null;
  readonly decidedAt: string | null;
  readonly runId: string | null;
  /** The card's message id, to update it for everyone. */
  readonly messageId: string | null;
  readonly reason: string | null;
}

export interface StoredReference {
  readonly reference: Partial<ConversationReference>;
  readonly updatedAt: string;
  readonly removedAt: string | null;
}

/** The bot's persistence; every decision is one SQLite statement, so a double click cannot win twice. */
export interface BotStore {
  savePlan(plan: PlanRecord): void;
  getPlan(id: string): PlanRecord | null;
  /** Inserts a pending approval; false when the plan already has one. */
  createApproval(
    approval: Omit<
      ApprovalRecord,
      'state' | 'decidedBy' | 'decidedByName' | 'decidedAt' | 'runId' | 'reason'
    >,
  ): boolean;
  getApproval(id: string): ApprovalRecord | null;
  getApprovalByPlan(planId: string): ApprovalRecord | null;
  /** The one pending approval whose id starts with `prefix` (at least 4 hex characters), if exactly one does. */
  findPendingApproval(prefix: string): ApprovalRecord | null;
  /** Compare-and-set from pending to a decision, only before expiry; true for the single winner. */
  decideApproval(id: string, state: 'approved' | 'rejected', by: string, byName: string, at: string): boolean;
  /** Moves an approval out of pending or approved (superseded, cancelled) with a reason. */
  closeApproval(id: string, state: 'superseded' | 'cancelled', reason: string, at: string): boolean;
  setApprovalMessage(id: string, messageId: string): void;
  setApprovalRun(id: string, runId: string): void;
  findApprovalByRun(runId: string): ApprovalRecord | null;
  saveReference(key: string, reference: Partial<ConversationReference>, at: string): void;
  getReference(key: string): StoredReference | null;
  markReferenceRemoved(key: string, at: string): void;
}

interface ApprovalRow {
  id: string;
  plan_id: string;
  conversation_id: string;
  requester: string;
  requester_name: string;
  plan_hash: string;
  approvers: string;
  state: ApprovalState;
  created_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  run_id: string | null;
  message_id: string | null;
  reason: string | null;
}

function toApproval(row: ApprovalRow): ApprovalRecord {
  return {
    id: row.id,
    planId: row.plan_id,
    conversationId: row.conversation_id,
    requester: row.requester,
    requesterName: row.requester_name,
    planHash: row.plan_hash,
    approvers: JSON.parse(row.approvers) as string[],
    state: row.state,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at,
    runId: row.run_id,
    messageId: row.message_id,
    reason: row.reason,
  };
}

/** Creates the bot's tables on the shared database and returns the store over them. */
export function createBotStore(db: SqliteDatabase): BotStore {
  db.exec(SCHEMA);
  const s = {
    insertPlan: db.prepare(
      `INSERT INTO bot_plans (id, runbook, inputs, hash, plan, conversation_id, created_by, created_at)
       VALUES (@id, @runbook, @inputs, @hash, @plan, @conversationId, @createdBy, @createdAt)`,
    ),
    getPlan: db.prepare(
      `SELECT id, runbook, inputs, hash, plan, conversation_id AS conversationId, created_by AS createdBy,
              created_at AS createdAt FROM bot_plans WHERE id = ?`,
    ),
    insertApproval: db.prepare(
      `INSERT OR IGNORE INTO bot_approvals (id, plan_id, conversation_id, requester, requester_name, plan_hash,
         approvers, state, created_at, expires_at, message_id)
       VALUES (@id, @planId, @conversationId, @requester, @requesterName, @planHash, @approvers, 'pending',
         @createdAt, @expiresAt, @messageId)`,
    ),
    getApproval: db.prepare('SELECT * FROM bot_approvals WHERE id = ?'),
    byPlan: db.prepare('SELECT * FROM bot_approvals WHERE plan_id = ?'),
    pendingByPrefix: db.prepare(
      "SELECT * FROM bot_approvals WHERE substr(id, 1, ?) = ? AND state = 'pending' LIMIT 2",
    ),
    byRun: db.prepare('SELECT * FROM bot_approvals WHERE run_id = ?'),
    decide: db.prepare(
      `UPDATE bot_approvals SET state = @state, decided_by = @by, decided_by_name = @byName, decided_at = @at
       WHERE id = @id AND state = 'pending' AND expires_at > @at`,
    ),
    close: db.prepare(
      `UPDATE bot_approvals SET state = @state, reason = @reason, decided_at = COALESCE(decided_at, @at)
       WHERE id = @id AND state IN ('pending', 'approved') AND run_id IS NULL`,
    ),
    setMessage: db.prepare('UPDATE bot_approvals SET message_id = ? WHERE id = ?'),
    setRun: db.prepare('UPDATE bot_approvals SET run_id = ? WHERE id = ?'),
    saveReference: db.prepare(
      `INSERT INTO bot_conversations (key, reference, updated_at, removed_at) VALUES (?, ?, ?, NULL)
       ON CONFLICT (key) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at, removed_at = NULL`,
    ),
    getReference: db.prepare(
      'SELECT reference, updated_at AS updatedAt, removed_at AS removedAt FROM bot_conversations WHERE key = ?',
    ),
    removeReference: db.prepare('UPDATE bot_conversations SET removed_at = ? WHERE key = ?'),
  };
  const written = new Map<string, string>();
  return {
    savePlan: (plan) => void s.insertPlan.run(plan),
    getPlan: (id) => (s.getPlan.get(id) as PlanRecord | undefined) ?? null,
    createApproval: (approval) =>
      s.insertApproval.run({ ...approval, approvers: JSON.stringify(approval.approvers) }).changes === 1,
    getApproval(id) {
      const row = s.getApproval.get(id) as ApprovalRow | undefined;
      return row ? toApproval(row) : null;
    },
    getApprovalByPlan(planId) {
      const row = s.byPlan.get(planId) as ApprovalRow | undefined;
      return row ? toApproval(row) : null;
    },
    findPendingApproval(prefix) {
      const id = prefix.toLowerCase();
      if (!/^[0-9a-f-]{4,36}$/.test(id)) return null;
      const rows = s.pendingByPrefix.all(id.length, id) as ApprovalRow[];
      return rows.length === 1 && rows[0] ? toApproval(rows[0]) : null;
    },
    decideApproval: (id, state, by, byName, at) => s.decide.run({ id, state, by, byName, at }).changes === 1,
    closeApproval: (id, state, reason, at) => s.close.run({ id, state, reason, at }).changes === 1,
    setApprovalMessage: (id, messageId) => void s.setMessage.run(messageId, id),
    setApprovalRun: (id, runId) => void s.setRun.run(runId, id),
    findApprovalByRun(runId) {
      const row = s.byRun.get(runId) as ApprovalRow | undefined;
      return row ? toApproval(row) : null;
    },
    saveReference(key, reference, at) {
      // Every admin-channel message refreshes the reference; only a changed one is written.
      const json = JSON.stringify(reference);
      if (written.get(key) === json) return;
      s.saveReference.run(key, json, at);
      written.set(key, json);
    },
    getReference(key) {
      const row = s.getReference.get(key) as
        | { reference: string; updatedAt: string; removedAt: string | null }
        | undefined;
      return row
        ? { reference: JSON.parse(row.reference), updatedAt: row.updatedAt, removedAt: row.removedAt }
        : null;
    },
    markReferenceRemoved(key, at) {
      s.removeReference.run(at, key);
      written.delete(key);
    },
  };
}
