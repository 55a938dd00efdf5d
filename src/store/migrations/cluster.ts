/**
 * Migrations of the replicas' shared state on one database: which bot processes are alive (a lease each
 * renews), which replica holds each relay agent's connection, which replica runs each run, and the watch's
 * last claimed scan per org. Used on PostgreSQL with more than one replica; the tables exist on SQLite too.
 */
import { addColumnIfMissing, type MigrationDb, type ModuleMigrations } from './types';

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
 * Whether each org's claimed scan has finished: a claim a dead replica never finished is taken over by
 * another replica in the same slot: 0 while it runs, 1 once finished, null (finished) for claims made before.
 */
async function addWatchSlotScanned(db: MigrationDb): Promise<void> {
  await addColumnIfMissing(db, 'cluster_watch_slots', 'scanned', 'integer');
}

/** The cluster module's migrations. */
export const clusterMigrations: ModuleMigrations = () => ({
  'cluster-0001-replicas': { up: createClusterTables },
  'cluster-0002-watch-slot-scanned': { up: addWatchSlotScanned },
});
