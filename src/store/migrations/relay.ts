/** Migrations of the relay hub's tables: the agent registry and the durable job table. */
import type { MigrationDb, ModuleMigrations } from './types';

async function createAgents(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('relay_agents')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('rotated_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('version', 'text')
    .execute();
}

async function createJobs(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('relay_jobs')
    .ifNotExists()
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text')
    .addColumn('step_id', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    // Epoch milliseconds: bigint on PostgreSQL (SQLite's INTEGER is 64-bit already).
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('outcome', 'text')
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema
    .createIndex('relay_jobs_open')
    .ifNotExists()
    .on('relay_jobs')
    .columns(['agent_id', 'state'])
    .execute();
}

/** The relay tables' migrations; the first adopts tables the synchronous hub store created. */
export const relayMigrations: ModuleMigrations = () => ({
  'relay-0001-initial': {
    async up(db) {
      await createAgents(db);
      await createJobs(db);
    },
  },
});
