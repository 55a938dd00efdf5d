/** Which database a `HYBRIDOPS_DB` value names: a SQLite file (the embedded default) or a PostgreSQL server. */
import { isPostgresUrl } from '../config/load-config';
import { CodedError } from '../core/errors';

export type StoreDialect = 'sqlite' | 'postgres';

export type DatabaseLocation =
  | { readonly dialect: 'sqlite'; readonly file: string }
  | { readonly dialect: 'postgres'; readonly connectionString: string };

/** A file path or `:memory:` is SQLite; `postgres://…` or `postgresql://…` is PostgreSQL; any other URL is refused. */
export function parseDatabaseUrl(value: string): DatabaseLocation {
  const text = value.trim();
  if (text === '') {
    throw new CodedError('BAD_DATABASE_URL', 'HYBRIDOPS_DB is empty: give a file path or a postgres:// URL.');
  }
  if (isPostgresUrl(text)) return { dialect: 'postgres', connectionString: text };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) {
    throw new CodedError(
      'BAD_DATABASE_URL',
      `HYBRIDOPS_DB names a ${scheme[1]}:// database: give a SQLite file path or a postgres:// URL.`,
    );
  }
  return { dialect: 'sqlite', file: text };
}

/** The server and database of a PostgreSQL URL, without user or password, for messages and logs. */
export function describePostgres(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const host = url.hostname || url.searchParams.get('host') || 'the local socket';
    return `${host}${url.port ? `:${url.port}` : ''}${url.pathname || '/'}`;
  } catch {
    return 'the configured server';
  }
}
