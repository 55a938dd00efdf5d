/**
 * Migrations of the replicas' shared state on one database: which bot processes are alive (a lease each
 * renews), which replica holds each relay agent's connection, which replica runs each run, and the watch's
 * last claimed scan per org. Used on PostgreSQL with more than one replica; the tables exist on SQLite too.
 */
import type { MigrationDb, ModuleMigrations } from './types';

async function createClusterTables(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('cluster_replicas')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_agent_routes')
    .ifNotExists()
    .addColumn('agent_id', 'text', (c) => c.primaryKey())
    .addColumn('replica_id', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_run_owners')
    .ifNotExists()
    .addColumn('run_id', 'text', (c) => c.primaryKey())
    .addColumn('replica_id', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_watch_slots')
    .ifNotExists()
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('slot', 'text', (c) => c.notNull())
    .addColumn('replica_id', 'text', (c) => c.notNull())
    .execute();
}

/**
 * Each org's last finished scheduled scan: a claim a dead replica never finished is taken over by another
 * replica in the same slot. A table apart from the claims, so that marks and claims never wait for each other.
 */
async function createWatchFinished(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('cluster_watch_finished')
    .ifNotExists()
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('slot', 'text', (c) => c.notNull())
    .execute();
}

/** The cluster module's migrations. */
export const clusterMigrations: ModuleMigrations = () => ({
  'cluster-0001-replicas': { up: createClusterTables },
  'cluster-0002-watch-finished': { up: createWatchFinished },
});
