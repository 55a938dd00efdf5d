/** The audit log on Kysely: append and read; the database itself refuses updates and deletes. */
import { sql } from 'kysely';
import type { AuditFilter, AuditLog } from '../run-repository';
import type { NewAuditEntry } from '../types';
import type { StoreContext } from './context';
import { precompiledRows, slot } from './precompiled';

/** An entry's values by slot name, as the insert takes them. */
type AuditValues = {
  at: string;
  actor: string;
  action: string;
  runId: string | null;
  runbook: string | null;
  target: string | null;
  detail: string;
  outcome: string | null;
  durationMs: number | null;
  completes: number | null;
};

/** The audit log over `context`. */
export function createAuditLog({ db }: StoreContext): AuditLog {
  // Every click, command and run step appends: compiled once.
  const append = precompiledRows<{ seq: number | bigint }, AuditValues>(() =>
    db
      .insertInto('audit_log')
      .values({
        at: slot<string>('at'),
        actor: slot<string>('actor'),
        action: slot<string>('action'),
        run_id: slot<string | null>('runId'),
        runbook: slot<string | null>('runbook'),
        target: slot<string | null>('target'),
        detail: slot<string>('detail'),
        outcome: slot<string | null>('outcome'),
        duration_ms: slot<number | null>('durationMs'),
        completes: slot<number | null>('completes'),
      })
      .returning('seq'),
  );
  return {
    async appendAudit(entry: NewAuditEntry) {
      const [row] = await append(db, {
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        runId: entry.runId,
        runbook: entry.runbook,
        target: entry.target,
        detail: entry.detail,
        outcome: entry.outcome,
        durationMs: entry.durationMs,
        completes: entry.completes ?? null,
      });
      if (!row) throw new Error('The audit log gave no sequence number for the entry it appended.');
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
