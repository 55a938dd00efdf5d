/** Approvals on Kysely: one per plan, and decisions as compare-and-set updates that a single caller wins. */
import { type Selectable, sql } from 'kysely';
import type { ApprovalRecord, ApprovalRepository, NewApproval } from '../bot-repositories';
import { rowsTouched, type StoreContext } from './context';
import { precompiled, precompiledRows, slot } from './precompiled';
import type { BotApprovalsTable } from './tables';

function toApproval(row: Selectable<BotApprovalsTable>): ApprovalRecord {
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
    runMessageId: row.run_message_id,
    runReference: row.run_reference,
  };
}

/** The approval repository over `context`. */
export function createApprovalRepository({ db }: StoreContext): ApprovalRepository {
  // Each runs on every click on an approval card: compiled once.
  const byColumn = (column: 'id' | 'plan_id' | 'run_id') =>
    precompiledRows<Selectable<BotApprovalsTable>, { value: string }>(() =>
      db.selectFrom('bot_approvals').selectAll().where(column, '=', slot<string>('value')),
    );
  const queries = { id: byColumn('id'), plan_id: byColumn('plan_id'), run_id: byColumn('run_id') };
  const one = async (column: 'id' | 'plan_id' | 'run_id', value: string) => {
    const [row] = await queries[column](db, { value });
    return row ? toApproval(row) : null;
  };
  const decide = precompiled<{
    id: string;
    state: 'approved' | 'rejected';
    by: string;
    byName: string;
    at: string;
    reason: string | null;
  }>(() =>
    db
      .updateTable('bot_approvals')
      .set({
        state: slot('state'),
        decided_by: slot('by'),
        decided_by_name: slot('byName'),
        decided_at: slot('at'),
        reason: slot('reason'),
      })
      .where('id', '=', slot<string>('id'))
      .where('state', '=', 'pending')
      .where('expires_at', '>', slot<string>('at')),
  );
  return {
    async createApproval(approval: NewApproval) {
      // No conflict target: a second approval for the plan (unique plan_id) or a taken id inserts nothing.
      const result = await db
        .insertInto('bot_approvals')
        .values({
          id: approval.id,
          plan_id: approval.planId,
          conversation_id: approval.conversationId,
          requester: approval.requester,
          requester_name: approval.requesterName,
          plan_hash: approval.planHash,
          approvers: JSON.stringify(approval.approvers),
          state: 'pending',
          created_at: approval.createdAt,
          expires_at: approval.expiresAt,
          message_id: approval.messageId,
        })
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      return rowsTouched(result) === 1;
    },
    getApproval: (id) => one('id', id),
    getApprovalByPlan: (planId) => one('plan_id', planId),
    findApprovalByRun: (runId) => one('run_id', runId),
    async findPendingApproval(prefix) {
      const id = prefix.toLowerCase();
      if (!/^[0-9a-f-]{4,36}$/.test(id)) return null;
      const rows = await db
        .selectFrom('bot_approvals')
        .selectAll()
        .where(sql<string>`substr(id, 1, ${sql.lit(id.length)})`, '=', id)
        .where('state', '=', 'pending')
        .limit(2)
        .execute();
      return rows.length === 1 && rows[0] ? toApproval(rows[0]) : null;
    },
    async listPendingApprovals(limit) {
      const rows = await db
        .selectFrom('bot_approvals')
        .selectAll()
        .where('state', '=', 'pending')
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toApproval);
    },
    async decideApproval(id, state, by, byName, at, reason = null) {
      return (await decide(db, { id, state, by, byName, at, reason })) === 1;
    },
    async closeApproval(id, state, reason, at) {
      const result = await db
        .updateTable('bot_approvals')
        .set((eb) => ({ state, reason, decided_at: eb.fn.coalesce('decided_at', eb.val(at)) }))
        .where('id', '=', id)
        .where('state', 'in', ['pending', 'approved'])
        .where('run_id', 'is', null)
        .executeTakeFirst();
      return rowsTouched(result) === 1;
    },
    async expirePending(at) {
      const rows = await db
        .updateTable('bot_approvals')
        .set({ state: 'expired', reason: 'nobody decided before it expired' })
        .where('state', '=', 'pending')
        .where('expires_at', '<=', at)
        .returningAll()
        .execute();
      return rows.map(toApproval);
    },
    async setRunCard(id, card) {
      await db
        .updateTable('bot_approvals')
        .set({ run_message_id: card.messageId, run_reference: card.reference })
        .where('id', '=', id)
        .execute();
    },
    async setApprovalMessage(id, messageId) {
      await db.updateTable('bot_approvals').set({ message_id: messageId }).where('id', '=', id).execute();
    },
    async setApprovalRun(id, runId) {
      await db.updateTable('bot_approvals').set({ run_id: runId }).where('id', '=', id).execute();
    },
  };
}
