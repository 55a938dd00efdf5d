/**
 * Jest global setup: checks once per run whether the PostgreSQL server for the store tests answers, and
 * leaves the answer in HYBRIDOPS_TEST_PG_PROBE ('ok' or why not) for the test files, which run in workers.
 */
import pg from 'pg';
import { postgresTestUrl } from './postgres-url';

export default async function probePostgres(): Promise<void> {
  const client = new pg.Client({ connectionString: postgresTestUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    process.env.HYBRIDOPS_TEST_PG_PROBE = 'ok';
  } catch (error) {
    process.env.HYBRIDOPS_TEST_PG_PROBE = error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}
