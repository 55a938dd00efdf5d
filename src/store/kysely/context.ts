/** What every Kysely repository is built on: the query builder (or a transaction) and the dialect under it. */
import type { Kysely } from 'kysely';
import type { StoreDialect } from '../database-url';
import type { StoreTables } from './tables';

export interface StoreContext {
  readonly db: Kysely<StoreTables>;
  readonly dialect: StoreDialect;
}

/** Runs `work` in a transaction, or as part of the current one when `db` already is a transaction. */
export function atomically<T>(
  db: Kysely<StoreTables>,
  work: (trx: Kysely<StoreTables>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** How many rows an UPDATE, DELETE or INSERT touched, as a number (both drivers report it). */
export function rowsTouched(result: {
  numUpdatedRows?: bigint;
  numDeletedRows?: bigint;
  numInsertedOrUpdatedRows?: bigint;
}): number {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? result.numInsertedOrUpdatedRows ?? 0n);
}
