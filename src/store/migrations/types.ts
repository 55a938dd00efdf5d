/** A store module's migrations: named `<module>-<NNNN>-<what>`, built for the dialect they run on. */
import type { Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../database-url';

/** Migrations receive an untyped Kysely: a migration must not depend on today's table types. */
// biome-ignore lint/suspicious/noExplicitAny: Kysely's Migration interface takes Kysely<any>.
export type MigrationDb = Kysely<any>;

/** The migrations of one store module, keyed by their module-prefixed names. */
export type ModuleMigrations = (dialect: StoreDialect) => Record<string, Migration>;
