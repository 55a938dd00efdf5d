/** A store module's migrations: named `<module>-<NNNN>-<what>`, built for the dialect they run on. */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../database-url';

/** Migrations receive an untyped Kysely: a migration must not depend on today's table types. */
// biome-ignore lint/suspicious/noExplicitAny: Kysely's Migration interface takes Kysely<any>.
export type MigrationDb = Kysely<any>;

/** The migrations of one store module, keyed by their module-prefixed names. */
export type ModuleMigrations = (dialect: StoreDialect) => Record<string, Migration>;

/**
 * Adds a column unless the table has it: a database whose tables are current but whose migration history was lost
 * is adopted by running every migration again, so each must be safe to repeat (SQLite has no ADD COLUMN IF NOT EXISTS).
 */
export async function addColumnIfMissing(
  db: MigrationDb,
  table: string,
  column: string,
  type: 'text' | 'integer' | 'bigint',
): Promise<void> {
  const tables = await db.introspection.getTables();
  const found = tables.find((candidate) => candidate.name === table);
  if (found?.columns.some((existing) => existing.name === column)) return;
  await db.schema.alterTable(table).addColumn(column, type).execute();
}
