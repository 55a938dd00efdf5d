/**
 * Migrations of the run journal: runs, steps, commands and the append-only audit log. The first one adopts
 * a database the synchronous SQLite store created (every statement is IF NOT EXISTS, with the same columns).
 */
import { sql } from 'kysely';
import type { StoreDialect } from '../database-url';
import { addColumnIfMissing, type MigrationDb, type ModuleMigrations } from './types';

const APPEND_ONLY = 'the audit log is append-only';

async function createRunTables(db: MigrationDb, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('runs')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('runbook', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('runs_unfinished')
    .ifNotExists()
    .on('runs')
    .columns(['runbook', 'target', 'inputs', 'state'])
    .execute();
  await db.schema
    .createTable('run_steps')
    .ifNotExists()
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('run_steps_pk', ['run_id', 'step_id'])
    .execute();
  let commands = db.schema
    .createTable('run_commands')
    .ifNotExists()
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer')
    .addColumn('result', 'text')
    .addPrimaryKeyConstraint('run_commands_pk', ['run_id', 'text']);
  // The order commands were first started in: SQLite has it in rowid, PostgreSQL needs a column.
  if (dialect === 'postgres')
    commands = commands.addColumn('seq', 'bigint', (c) => c.generatedAlwaysAsIdentity());
  await commands.execute();
}

async function createAuditLog(db: MigrationDb, dialect: StoreDialect): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .ifNotExists()
    .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigint', (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity(),
    )
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('runbook', 'text')
    .addColumn('target', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('duration_ms', 'integer')
    .execute();
  if (dialect === 'sqlite') await sqliteAppendOnly(db);
  else await postgresAppendOnly(db);
}

async function sqliteAppendOnly(db: MigrationDb): Promise<void> {
  for (const [name, event] of [
    ['audit_log_no_update', 'UPDATE'],
    ['audit_log_no_delete', 'DELETE'],
  ] as const) {
    await sql
      .raw(
        `CREATE TRIGGER IF NOT EXISTS ${name} BEFORE ${event} ON audit_log
         BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`,
      )
      .execute(db);
  }
}

async function postgresAppendOnly(db: MigrationDb): Promise<void> {
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '${APPEND_ONLY}' USING ERRCODE = 'insufficient_privilege'; END $$`,
    )
    .execute(db);
  for (const [name, event, level] of [
    ['audit_log_no_update', 'UPDATE', 'ROW'],
    ['audit_log_no_delete', 'DELETE', 'ROW'],
    ['audit_log_no_truncate', 'TRUNCATE', 'STATEMENT'],
  ] as const) {
    await sql.raw(`DROP TRIGGER IF EXISTS ${name} ON audit_log`).execute(db);
    await sql
      .raw(
        `CREATE TRIGGER ${name} BEFORE ${event} ON audit_log
         FOR EACH ${level} EXECUTE FUNCTION audit_log_append_only()`,
      )
      .execute(db);
  }
}

/** Saved plans: the plan a run executes, why it stopped, the values it bound, and audit entries completing others. */
async function addSavedPlans(db: MigrationDb, dialect: StoreDialect): Promise<void> {
  for (const column of ['plan', 'plan_hash', 'reason']) await addColumnIfMissing(db, 'runs', column, 'text');
  await db.schema
    .createTable('run_values')
    .ifNotExists()
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_values_pk', ['run_id', 'name'])
    .execute();
  const sequence = dialect === 'sqlite' ? 'integer' : 'bigint';
  await addColumnIfMissing(db, 'audit_log', 'completes', sequence);
  await addColumnIfMissing(db, 'run_commands', 'sent_seq', sequence);
  await db.schema.createIndex('runs_state').ifNotExists().on('runs').columns(['state']).execute();
}

/** The run journal's migrations. */
export const runsMigrations: ModuleMigrations = (dialect) => ({
  'runs-0001-initial': {
    async up(db) {
      await createRunTables(db, dialect);
      await createAuditLog(db, dialect);
    },
  },
  'runs-0002-runs-by-time': {
    // listRuns reads newest first.
    async up(db) {
      await db.schema.createIndex('runs_created').ifNotExists().on('runs').columns(['created_at']).execute();
    },
  },
  'runs-0003-saved-plans': {
    async up(db) {
      await addSavedPlans(db, dialect);
    },
  },
});
