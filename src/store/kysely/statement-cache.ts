/** Prepared SQLite statements kept by their SQL text, for Kysely's SQLite driver. */
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';
import type { SqliteDatabase } from '../database';

/**
 * Kysely prepares every statement it runs, and parsing the SQL costs about as much as running a short
 * statement. The store runs a few dozen shapes of query (Kysely's SQL carries values as parameters), so
 * each is prepared once and kept; the least recently used goes when more than `size` are kept.
 */
export function withStatementCache(db: SqliteDatabase, size = 200): KyselySqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql) {
      const kept = statements.get(sql);
      if (kept) {
        // Map order is insertion order: moving it to the end keeps the oldest first.
        statements.delete(sql);
        statements.set(sql, kept);
        return kept;
      }
      const statement = db.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value as string);
      return statement;
    },
  };
}
