/** The audit log on Kysely: append and read; the database itself refuses updates and deletes. */
import { sql } from 'kysely';
import type { AuditFilter, AuditLog } from '../run-repository';
import type { NewAuditEntry } from '../types';
import type { StoreContext } from './context';

/** The audit log over `context`. */
export function createAuditLog({ db }: StoreContext): AuditLog {
  return {
    async appendAudit(entry: NewAuditEntry) {
      const row = await db
        .insertInto('audit_log')
        .values({
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          run_id: entry.runId,
          runbook: entry.runbook,
          target: entry.target,
          detail: entry.detail,
          outcome: entry.outcome,
          duration_ms: entry.durationMs,
          completes: entry.completes ?? null,
        })
        .returning('seq')
        .executeTakeFirstOrThrow();
      return Number(row.seq);
    },
    async listAudit(limit = 200, filter: AuditFilter = {}) {
      const { runIdPrefix, target, offset = 0 } = filter;
      const newestFirst = await db
        .selectFrom('audit_log')
        .select([
          'seq',
          'at',
          'actor',
          'action',
          'run_id as runId',
          'runbook',
          'target',
          'detail',
          'outcome',
          'duration_ms as durationMs',
          'completes',
        ])
        .$if(Boolean(runIdPrefix), (query) => {
          const prefix = (runIdPrefix ?? '').toLowerCase();
          return query.where(sql<string>`lower(substr(run_id, 1, ${sql.lit(prefix.length)}))`, '=', prefix);
        })
        .$if(target !== undefined, (query) => query.where('target', '=', target ?? ''))
        .orderBy('seq', 'desc')
        .limit(limit)
        .offset(offset)
        .execute();
      // `completes` is there only on entries that complete another one.
      return newestFirst.reverse().map(({ completes, seq, ...entry }) => ({
        seq: Number(seq),
        ...entry,
        ...(completes === null ? {} : { completes: Number(completes) }),
      }));
    },
  };
}
