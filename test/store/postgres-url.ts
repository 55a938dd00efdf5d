/** Where the store tests find PostgreSQL: HYBRIDOPS_TEST_PG, or the postgres role over loopback (.ci/postgres). */
export const DEFAULT_TEST_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

export function postgresTestUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.HYBRIDOPS_TEST_PG?.trim() || DEFAULT_TEST_PG;
}

/** The same server URL naming another database (works for host and unix-socket URLs alike). */
export function withDatabase(url: string, database: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?/, `$1/${database}`);
}
