/** Opens the store named by `HYBRIDOPS_DB`: a SQLite file (WAL) or a PostgreSQL server, migrated to the latest. */
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../config/logger';
import { CodedError } from '../core/errors';
import { openDatabase } from './database';
import { describePostgres, parseDatabaseUrl, type StoreDialect } from './database-url';
import { messageOf } from './errors';
import { createApprovalRepository } from './kysely/approvals';
import { createAuditLog } from './kysely/audit';
import { createClusterRepository } from './kysely/cluster';
import type { StoreContext } from './kysely/context';
import { createConversationRepository } from './kysely/conversations';
import { createPlanRepository } from './kysely/plans';
import { createAgentRegistry } from './kysely/relay-agents';
import { createJobTable } from './kysely/relay-jobs';
import { createRunJournal } from './kysely/runs';
import { withStatementCache } from './kysely/statement-cache';
import type { StoreTables } from './kysely/tables';
import { createWatchRepository } from './kysely/watch';
import { migrateStore } from './migrations';
import { listenPostgres } from './pg-listener';
import type { Repositories, Store, StoredDocuments } from './store';

export interface OpenStoreOptions {
  /** Run pending migrations before returning (default true). */
  readonly migrate?: boolean;
  /** PostgreSQL only: the most connections the pool opens (default 10). */
  readonly poolSize?: number;
  /** Where a PostgreSQL connection that breaks while idle is reported (default: a process warning). */
  readonly logger?: Pick<Logger, 'warn'>;
}

const INT8_OID = 20;

/** bigint columns (audit seq, job expiry, counts) come back as numbers: every value fits in 2^53. */
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

function sqliteDatabase(file: string): Kysely<StoreTables> {
  try {
    const database = withStatementCache(openDatabase(file));
    return new Kysely<StoreTables>({ dialect: new SqliteDialect({ database }) });
  } catch (error) {
    throw new CodedError(
      'DATABASE_UNREACHABLE',
      `Cannot open the SQLite database ${file}: ${messageOf(error)}. Check HYBRIDOPS_DB and the folder's permissions.`,
      { cause: error },
    );
  }
}

function postgresDatabase(connectionString: string, options: OpenStoreOptions): Kysely<StoreTables> {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 10, types: pgTypes });
  // pg drops a client that fails while idle; without a listener the 'error' event would end the process.
  pool.on('error', (error) => {
    const message = `PostgreSQL connection to ${describePostgres(connectionString)} failed while idle`;
    if (options.logger) options.logger.warn({ err: error }, message);
    else process.emitWarning(`${message}: ${error.message}`);
  });
  return new Kysely<StoreTables>({ dialect: new PostgresDialect({ pool }) });
}

async function assertReachable(db: Kysely<StoreTables>, connectionString: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    throw new CodedError(
      'DATABASE_UNREACHABLE',
      `Cannot connect to PostgreSQL at ${describePostgres(connectionString)}: ${messageOf(error)}. Start the server, or fix HYBRIDOPS_DB (host, port, user, password).`,
      { cause: error },
    );
  }
}

/** Every repository over `db`, which may be the root handle or a transaction. */
export function createRepositories<Documents extends StoredDocuments = StoredDocuments>(
  context: StoreContext,
): Repositories<Documents> {
  return {
    runs: { ...createRunJournal(context), ...createAuditLog(context) },
    plans: createPlanRepository(context),
    approvals: createApprovalRepository(context),
    conversations: createConversationRepository<Documents['conversationReference']>(context),
    watch: createWatchRepository<Documents['watchedOrg'], Documents['alertCard']>(context),
    relay: { ...createAgentRegistry(context), ...createJobTable(context) },
    cluster: createClusterRepository(context),
  };
}

function storeOver<Documents extends StoredDocuments>(
  db: Kysely<StoreTables>,
  dialect: StoreDialect,
  listen: Store['listen'],
): Store<Documents> {
  return {
    dialect,
    listen,
    ...createRepositories<Documents>({ db, dialect }),
    transaction: (work) => db.transaction().execute((trx) => work(createRepositories({ db: trx, dialect }))),
    migrate: () => migrateStore(db, dialect),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * Opens the store at `url` (a file path or `:memory:` for SQLite, `postgres://…` for PostgreSQL) and
 * migrates it. `Documents` names the JSON documents the callers keep in it, e.g. the watch's org and card.
 */
export async function openStore<Documents extends StoredDocuments = StoredDocuments>(
  url: string,
  options: OpenStoreOptions = {},
): Promise<Store<Documents>> {
  const location = parseDatabaseUrl(url);
  const db =
    location.dialect === 'sqlite'
      ? sqliteDatabase(location.file)
      : postgresDatabase(location.connectionString, options);
  try {
    if (location.dialect === 'postgres') await assertReachable(db, location.connectionString);
    if (options.migrate !== false) await migrateStore(db, location.dialect);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const listen: Store['listen'] =
    location.dialect === 'postgres'
      ? (channels, onMessage) =>
          listenPostgres(location.connectionString, channels, onMessage, {
            onError: (error) =>
              options.logger?.warn({ err: error }, 'PostgreSQL LISTEN connection failed; reconnecting'),
          })
      : null;
  return storeOver<Documents>(db, location.dialect, listen);
}
