/** The run journal on Kysely: runs, their steps, and every command started and finished. */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { BoundOutput, NewRun, NewStep, RunJournal, RunQuery } from '../run-repository';
import type { RunRecord } from '../types';
import { createAuditLog } from './audit';
import { atomically, type StoreContext } from './context';
import { parseStoredPlan } from './plans';
import type { RunsTable, StoreTables } from './tables';

const DEFAULT_RUN_LIMIT = 50;
const MAX_RUN_LIMIT = 1000;

function toRun(row: Selectable<RunsTable>): RunRecord {
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
    // Present only when set, so runs made before saved plans read as they always did.
    ...(row.plan_hash === null ? {} : { planHash: row.plan_hash }),
    ...(row.reason === null ? {} : { reason: row.reason }),
  };
}

function runLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_RUN_LIMIT;
  return Math.min(MAX_RUN_LIMIT, Math.max(1, Math.floor(limit)));
}

/** Runs matching `query`, newest first. */
async function listRuns({ db }: StoreContext, query: RunQuery = {}): Promise<RunRecord[]> {
  let select = db.selectFrom('runs').selectAll();
  if (query.state !== undefined) {
    const states = typeof query.state === 'string' ? [query.state] : [...query.state];
    if (states.length === 0) return [];
    select = select.where('state', 'in', states);
  }
  if (query.runbook !== undefined) select = select.where('runbook', '=', query.runbook);
  if (query.target !== undefined) select = select.where('target', '=', query.target);
  if (query.requestedBy !== undefined) select = select.where('requested_by', '=', query.requestedBy);
  if (query.since !== undefined) select = select.where('created_at', '>=', query.since);
  if (query.before !== undefined) select = select.where('created_at', '<', query.before);
  if (query.idPrefix) {
    const prefix = query.idPrefix.toLowerCase();
    select = select.where(sql<string>`lower(substr(id, 1, ${sql.lit(prefix.length)}))`, '=', prefix);
  }
  const rows = await select
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(runLimit(query.limit))
    .execute();
  return rows.map(toRun);
}

async function bindValue(
  db: Kysely<StoreTables>,
  runId: string,
  name: string,
  value: BoundOutput,
): Promise<void> {
  await db
    .insertInto('run_values')
    .values({ run_id: runId, name, value: JSON.stringify(value) })
    .onConflict((conflict) =>
      conflict.columns(['run_id', 'name']).doUpdateSet({ value: JSON.stringify(value) }),
    )
    .execute();
}

/** The run journal over `context`; `createRun` joins the caller's transaction when there is one. */
export function createRunJournal(context: StoreContext): RunJournal {
  const { db } = context;
  // SQLite keeps insertion order in rowid; PostgreSQL has no rowid, so its table carries an identity `seq`.
  const commandOrder = sql.raw(context.dialect === 'sqlite' ? 'rowid' : 'seq');
  return {
    createRun: (run: NewRun, steps: readonly NewStep[]) =>
      atomically(db, async (trx) => {
        await trx
          .insertInto('runs')
          .values({
            id: run.id,
            runbook: run.runbook,
            target: run.target,
            inputs: run.inputs,
            requested_by: run.requestedBy,
            approved_by: run.approvedBy,
            state: 'running',
            created_at: run.createdAt,
            plan: run.plan ? JSON.stringify(run.plan) : null,
            plan_hash: run.plan?.hash ?? null,
          })
          .execute();
        if (steps.length === 0) return;
        await trx
          .insertInto('run_steps')
          .values(
            steps.map((step) => ({
              run_id: run.id,
              step_id: step.stepId,
              position: step.position,
              title: step.title,
              state: step.state,
              change: step.change,
              error: step.error,
            })),
          )
          .execute();
      }),
    async findUnfinishedRun(runbook, target, inputs) {
      const row = await db
        .selectFrom('runs')
        .selectAll()
        .where('runbook', '=', runbook)
        .where('target', '=', target)
        .where('inputs', '=', inputs)
        .where('state', '=', 'running')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? toRun(row) : null;
    },
    async getRun(runId) {
      const row = await db.selectFrom('runs').selectAll().where('id', '=', runId).executeTakeFirst();
      return row ? toRun(row) : null;
    },
    listRuns: (query) => listRuns(context, query),
    listSteps: (runId) =>
      db
        .selectFrom('run_steps')
        .select(['run_id as runId', 'step_id as stepId', 'position', 'title', 'state', 'change', 'error'])
        .where('run_id', '=', runId)
        .orderBy('position')
        .execute(),
    async setStepState(runId, stepId, state, error = null) {
      await db
        .updateTable('run_steps')
        .set({ state, error })
        .where('run_id', '=', runId)
        .where('step_id', '=', stepId)
        .execute();
    },
    async finishRun(runId, state, at, reason) {
      await db
        .updateTable('runs')
        .set({ state, finished_at: at, ...(reason === undefined ? {} : { reason }) })
        .where('id', '=', runId)
        .execute();
    },
    async getRunPlan(runId) {
      const row = await db.selectFrom('runs').select('plan').where('id', '=', runId).executeTakeFirst();
      return row?.plan ? parseStoredPlan(`of run ${runId}`, row.plan) : null;
    },
    startCommand: (runId, stepId, text, at, sent) =>
      atomically(db, async (trx) => {
        const seq = sent
          ? await createAuditLog({ db: trx, dialect: context.dialect }).appendAudit(sent)
          : null;
        await trx
          .insertInto('run_commands')
          .values({ run_id: runId, step_id: stepId, text, state: 'started', started_at: at, sent_seq: seq })
          .onConflict((conflict) =>
            conflict.columns(['run_id', 'text']).doUpdateSet((eb) => ({
              state: 'started',
              started_at: eb.ref('excluded.started_at'),
              sent_seq: eb.ref('excluded.sent_seq'),
            })),
          )
          .execute();
        return seq;
      }),
    finishCommand: (runId, text, state, durationMs, result, also = {}) =>
      // The answer, the value it binds and its audit entry are committed together.
      atomically(db, async (trx) => {
        await trx
          .updateTable('run_commands')
          .set({ state, duration_ms: Math.round(durationMs), result })
          .where('run_id', '=', runId)
          .where('text', '=', text)
          .execute();
        if (also.bound) await bindValue(trx, runId, also.bound.name, also.bound.value);
        if (also.completion)
          await createAuditLog({ db: trx, dialect: context.dialect }).appendAudit(also.completion);
      }),
    bindValue: (runId, name, value) => bindValue(db, runId, name, value),
    async listValues(runId) {
      const rows = await db
        .selectFrom('run_values')
        .select(['name', 'value'])
        .where('run_id', '=', runId)
        .execute();
      return new Map(rows.map((row) => [row.name, JSON.parse(row.value) as BoundOutput]));
    },
    listCommands: (runId) =>
      db
        .selectFrom('run_commands')
        .select([
          'run_id as runId',
          'step_id as stepId',
          'text',
          'state',
          'started_at as startedAt',
          'duration_ms as durationMs',
          'result',
          'sent_seq',
        ])
        .where('run_id', '=', runId)
        .orderBy(commandOrder)
        .execute()
        .then((rows) =>
          rows.map(({ sent_seq, ...command }) => ({
            ...command,
            ...(sent_seq === null ? {} : { sentAs: Number(sent_seq) }),
          })),
        ),
  };
}
