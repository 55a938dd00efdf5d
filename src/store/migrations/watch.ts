/** Migrations of the watch's tables: watched orgs, check states, threshold marks, alerts. */
import type { MigrationDb, ModuleMigrations } from './types';

async function createOrgsAndChecks(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('watch_orgs')
    .ifNotExists()
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('org', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('thresholds', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('last_scan_at', 'text')
    .addColumn('last_scan_outcome', 'text')
    .execute();
  await db.schema
    .createTable('watch_check_state')
    .ifNotExists()
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('alerted', 'integer', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('watch_check_state_pk', ['org_id', 'check_id'])
    .execute();
  await db.schema
    .createTable('watch_threshold_marks')
    .ifNotExists()
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('watch_threshold_marks_pk', ['org_id', 'item_id', 'threshold'])
    .execute();
}

async function createAlerts(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('watch_alerts')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('card', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('snoozed_until', 'text')
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema
    .createIndex('watch_alerts_org')
    .ifNotExists()
    .on('watch_alerts')
    .columns(['org_id', 'state'])
    .execute();
}

/** The watch tables' migrations; the first adopts tables the synchronous alert store created. */
export const watchMigrations: ModuleMigrations = () => ({
  'watch-0001-initial': {
    async up(db) {
      await createOrgsAndChecks(db);
      await createAlerts(db);
    },
  },
});
