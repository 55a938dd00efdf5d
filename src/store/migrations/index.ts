/** Every store module's migrations, run through Kysely's Migrator in one transaction (and, on PostgreSQL, one lock). */
import { type Migration, Migrator, sql } from 'kysely';
import { CodedError } from '../../core/errors';
import type { StoreDialect } from '../database-url';
import { messageOf } from '../errors';
import { botMigrations } from './bot';
import { clusterMigrations } from './cluster';
import { relayMigrations } from './relay';
import { runsMigrations } from './runs';
import type { MigrationDb, ModuleMigrations } from './types';
import { watchMigrations } from './watch';

/** One list per store module; a module's migrations are named `<module>-<NNNN>-<what>`. */
export const STORE_MODULES: Readonly<Record<string, ModuleMigrations>> = {
  runs: runsMigrations,
  bot: botMigrations,
  watch: watchMigrations,
  relay: relayMigrations,
  cluster: clusterMigrations,
};

/** All modules' migrations for `dialect`; throws if one is misnamed, so a typo cannot reorder history. */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  const all: Record<string, Migration> = {};
  for (const [module, migrations] of Object.entries(STORE_MODULES)) {
    for (const [name, migration] of Object.entries(migrations(dialect))) {
      if (!new RegExp(`^${module}-\\d{4}-[a-z0-9-]+$`).test(name)) {
        throw new CodedError('MIGRATION_FAILED', `Migration ${name} must be named ${module}-NNNN-what.`);
      }
      all[name] = migration;
    }
  }
  return all;
}

function migratorFor(db: MigrationDb, dialect: StoreDialect): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => storeMigrations(dialect) },
    // Modules add migrations independently: `bot-0002` may come after `watch-0001` ran. Within a module
    // the names still order them, and pending ones run in name order.
    allowUnorderedMigrations: true,
  });
}

async function runMigrator(db: MigrationDb, dialect: StoreDialect): Promise<string[]> {
  const { error, results = [] } = await migratorFor(db, dialect).migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    throw new CodedError(
      'MIGRATION_FAILED',
      `The store could not migrate the database${failed ? ` (at ${failed})` : ''}: ${messageOf(error)}`,
      { cause: error },
    );
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/**
 * Runs every pending migration; resolves with the names it ran (none when the database is current).
 * PostgreSQL: Kysely runs them in one transaction under an advisory lock. SQLite: Kysely uses neither
 * (it assumes one connection), so they run inside BEGIN IMMEDIATE on the store's one connection: another
 * process opening the file waits (busy_timeout), then finds them done, and a failed one leaves nothing.
 * Call it before the store serves queries: on SQLite anything sent meanwhile joins that transaction.
 */
export async function migrateStore(db: MigrationDb, dialect: StoreDialect): Promise<string[]> {
  if (dialect === 'postgres') return runMigrator(db, dialect);
  await sql`begin immediate`.execute(db);
  try {
    const ran = await runMigrator(db, dialect);
    await sql`commit`.execute(db);
    return ran;
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  }
}

/** The names of the migrations already run on the database, in name order. */
export async function executedMigrations(db: MigrationDb, dialect: StoreDialect): Promise<string[]> {
  const migrations = await migratorFor(db, dialect).getMigrations();
  return migrations
    .filter((migration) => migration.executedAt !== undefined)
    .map((migration) => migration.name);
}
