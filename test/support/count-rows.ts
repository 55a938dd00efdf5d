/** Counting rows from outside the program under test, on SQLite or PostgreSQL, as an operator would. */
import Database from 'better-sqlite3';
import pg from 'pg';
import { isPostgresUrl } from '../../src/config/load-config';

/** Rows in `table` of the database at `url`, counted over a connection of its own. */
export async function countRows(url: string, table: string): Promise<number> {
  const statement = `SELECT COUNT(*) AS n FROM ${table}`;
  if (!isPostgresUrl(url)) {
    const db = new Database(url, { readonly: true });
    try {
      return (db.prepare(statement).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(statement)).rows[0]?.n);
  } finally {
    await client.end();
  }
}
