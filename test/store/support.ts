/**
 * The store suite runs every case on SQLite and on a real PostgreSQL server. Each case gets databases of
 * its own: a file in a temporary folder, or a database created with a random name and dropped afterwards.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type OpenStoreOptions, openStore } from '../../src/store/open-store';
import type { Store, StoredDocuments } from '../../src/store/store';
import { postgresTestUrl, withDatabase } from './postgres-url';

export interface StoreTarget {
  readonly name: 'SQLite' | 'PostgreSQL';
  /** The URL of a new, empty database (HYBRIDOPS_DB's form). */
  newDatabase(): Promise<string>;
  /** Runs one SQL statement on the database at `url` from outside the store, as an operator at a SQL prompt. */
  execute(url: string, statement: string): Promise<void>;
  /** Removes every database `newDatabase` made. */
  dropDatabases(): Promise<void>;
}

function sqliteTarget(): StoreTarget {
  let dir: string | undefined;
  let count = 0;
  return {
    name: 'SQLite',
    async newDatabase() {
      dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-store-'));
      count += 1;
      return path.join(dir, `store-${count}.db`);
    },
    async execute(url, statement) {
      const db = new Database(url);
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    },
    async dropDatabases() {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function postgresTarget(serverUrl: string): StoreTarget {
  const made: string[] = [];
  return {
    name: 'PostgreSQL',
    async newDatabase() {
      const name = `hybridops_test_${randomBytes(6).toString('hex')}`;
      await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
      made.push(name);
      return withDatabase(serverUrl, name);
    },
    async execute(url, statement) {
      await onServer(url, (client) => client.query(statement));
    },
    async dropDatabases() {
      const names = made.splice(0);
      await onServer(serverUrl, async (client) => {
        for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

const POSTGRES_MISSING = (url: string, why: string) =>
  `PostgreSQL is not reachable at ${url} (${why}): install it (apt-get install postgresql) and start it with .ci/postgres, or set HYBRIDOPS_TEST_PG.`;

/**
 * The PostgreSQL target when its server answered the jest global setup. Otherwise null, after one line
 * saying how to start one; under CI=true a failing test with that sentence instead.
 */
function postgresOrSkip(title: string): StoreTarget | null {
  const serverUrl = postgresTestUrl();
  const probe = process.env.HYBRIDOPS_TEST_PG_PROBE ?? 'the jest global setup did not run';
  if (probe === 'ok') return postgresTarget(serverUrl);
  if (process.env.CI === 'true') {
    describe(`${title} on PostgreSQL`, () => {
      it('needs a PostgreSQL server under CI', () => {
        throw new Error(POSTGRES_MISSING(serverUrl, probe));
      });
    });
  } else {
    console.warn(`Skipping ${title} on PostgreSQL. ${POSTGRES_MISSING(serverUrl, probe)}`);
  }
  return null;
}

/** Defines `cases` on PostgreSQL only, in databases of their own (skipped or failed as `describeEachStore`). */
export function describeOnPostgres(title: string, cases: (target: StoreTarget) => void): void {
  const target = postgresOrSkip(title);
  // Skipped, the file still holds a (skipped) test, as Jest wants one in every file.
  const describeHere = target ? describe : describe.skip;
  describeHere(`${title} on PostgreSQL`, () => {
    if (!target) {
      it('needs a PostgreSQL server', () => undefined);
      return;
    }
    afterAll(() => target.dropDatabases());
    cases(target);
  });
}

/**
 * Defines `cases` once per database. Without a reachable PostgreSQL the PostgreSQL half is skipped with one
 * line, except under CI=true, where it fails with that sentence.
 */
export function describeEachStore(title: string, cases: (target: StoreTarget) => void): void {
  const targets = [sqliteTarget()];
  const postgres = postgresOrSkip(title);
  if (postgres) targets.push(postgres);
  for (const target of targets) {
    describe(`${title} on ${target.name}`, () => {
      afterAll(() => target.dropDatabases());
      cases(target);
    });
  }
}

/** Opens stores on `target` for one case at a time and closes them after each case. */
export function storesOn(target: StoreTarget) {
  const open: Pick<Store, 'close'>[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });
  return {
    /** A store on a new database, or on `url` when given (a second connection to the same database). */
    async open<Documents extends StoredDocuments = StoredDocuments>(
      url?: string,
      options?: OpenStoreOptions,
    ): Promise<Store<Documents> & { readonly url: string }> {
      const where = url ?? (await target.newDatabase());
      const store = await openStore<Documents>(where, options);
      open.push(store);
      return Object.assign(store, { url: where });
    },
  };
}

/**
 * Expects `promise` to reject with a database error whose message matches `pattern`. Matched on the
 * message: better-sqlite3's native module keeps the error class of the first test file a Jest worker
 * loaded, so in later files its errors are not `instanceof Error` and `toThrow` would not see them.
 */
export async function expectDriverError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await expect(promise).rejects.toMatchObject({ message: expect.stringMatching(pattern) });
}

const ROOT = path.resolve(__dirname, '../..');
// node with tsx's hooks, as the tsx wrapper would start it.
const TSX_HOOKS = [
  '--require',
  path.join(ROOT, 'node_modules', 'tsx', 'dist', 'preflight.cjs'),
  '--import',
  pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
];

/** Opens the store at `url` in a process of its own and migrates it at `startAt`; resolves with the names it ran. */
export async function migrateInAnotherProcess(url: string, startAt: string): Promise<string[]> {
  const script = path.join(__dirname, 'fixtures', 'migrate-process.ts');
  const { stdout } = await promisify(execFile)(process.execPath, [...TSX_HOOKS, script, url, startAt], {
    cwd: ROOT,
    timeout: 20_000,
  });
  return JSON.parse(stdout) as string[];
}
