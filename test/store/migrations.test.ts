import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { openStore } from '../../src/store/open-store';
import { describeEachStore, expectDriverError, migrateInAnotherProcess, storesOn } from './support';

const EVERY_MIGRATION = [
  'bot-0001-initial',
  'bot-0002-plan-cards',
  'bot-0003-run-cards',
  'cluster-0001-replicas',
  'cluster-0002-watch-finished',
  'relay-0001-initial',
  'runs-0001-initial',
  'runs-0002-runs-by-time',
  'runs-0003-saved-plans',
  'watch-0001-initial',
];

const entry = {
  at: '2026-03-01T10:00:00.000Z',
  actor: 'alice@contoso.com',
  action: 'run.started',
  runId: null,
  runbook: 'teams',
  target: 'contoso.com',
  detail: 'started',
  outcome: null,
  durationMs: null,
};

describeEachStore('store migrations', (target) => {
  const stores = storesOn(target);

  it('run once on a new database, and not again however often it opens', async () => {
    const store = await stores.open(undefined, { migrate: false });
    expect(await store.migrate()).toEqual(EVERY_MIGRATION);
    expect(await store.migrate()).toEqual([]);
    await store.runs.appendAudit(entry);

    const again = await stores.open(store.url);
    expect(await again.migrate()).toEqual([]);
    expect(await again.runs.listAudit()).toHaveLength(1);
  });

  it('run once when two processes open a new database at the same moment', async () => {
    const url = await target.newDatabase();
    const startAt = String(Date.now() + 2_000);
    const ran = await Promise.all([
      migrateInAnotherProcess(url, startAt),
      migrateInAnotherProcess(url, startAt),
    ]);
    expect(ran.flat().sort()).toEqual(EVERY_MIGRATION);
  });

  it('adopt tables that exist without a migration history, keeping their rows and the audit guard', async () => {
    const store = await stores.open();
    await store.runs.appendAudit(entry);
    await store.relay.addAgent('ex01', entry.at);
    await store.close();
    await target.execute(store.url, 'DROP TABLE kysely_migration');

    const adopted = await stores.open(store.url, { migrate: false });
    expect(await adopted.migrate()).toEqual(EVERY_MIGRATION);
    expect(await adopted.runs.listAudit()).toEqual([{ seq: expect.any(Number), ...entry }]);
    expect(await adopted.relay.getAgent('ex01')).not.toBeNull();
    await expectDriverError(
      target.execute(store.url, 'DELETE FROM audit_log'),
      /the audit log is append-only/,
    );
  });
});

describe('the database a HYBRIDOPS_DB value names', () => {
  it('is a SQLite file for a path or :memory:, and PostgreSQL for a postgres:// URL', () => {
    expect(parseDatabaseUrl('/var/lib/hybridops/hybridops.db')).toEqual({
      dialect: 'sqlite',
      file: '/var/lib/hybridops/hybridops.db',
    });
    expect(parseDatabaseUrl('C:\\hybridops\\hybridops.db')).toMatchObject({ dialect: 'sqlite' });
    expect(parseDatabaseUrl(':memory:')).toEqual({ dialect: 'sqlite', file: ':memory:' });
    for (const url of ['postgres://bot@db.example:5432/hybridops', 'postgresql://bot@db.example/hybridops']) {
      expect(parseDatabaseUrl(url)).toEqual({ dialect: 'postgres', connectionString: url });
    }
  });

  it('is refused, with what to give instead, for another kind of URL or nothing', () => {
    expect(() => parseDatabaseUrl('mysql://bot@db.example/hybridops')).toThrow(
      'HYBRIDOPS_DB names a mysql:// database: give a SQLite file path or a postgres:// URL.',
    );
    expect(() => parseDatabaseUrl('  ')).toThrow(/HYBRIDOPS_DB is empty/);
  });

  it('opens in memory for a throwaway store', async () => {
    const store = await openStore(':memory:');
    try {
      await store.runs.appendAudit(entry);
      expect(await store.runs.listAudit()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('says which PostgreSQL server it cannot reach, without the password', async () => {
    // Port 9 (discard) has no listener on a test machine: the connection is refused at once.
    const opening = openStore('postgres://bot:s3cret@127.0.0.1:9/hybridops');
    await expect(opening).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE' });
    await expect(opening).rejects.toThrow(
      /^Cannot connect to PostgreSQL at 127\.0\.0\.1:9\/hybridops: connect ECONNREFUSED .*Start the server/,
    );
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });

  it('says which SQLite file it cannot open', async () => {
    // A folder inside a regular file can never be created.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hybridops-file-')), 'plain-file');
    fs.writeFileSync(file, 'not a folder');
    const opening = openStore(path.join(file, 'hybridops.db'));
    await expect(opening).rejects.toMatchObject({ code: 'DATABASE_UNREACHABLE' });
    await expect(opening).rejects.toThrow(
      `Cannot open the SQLite database ${path.join(file, 'hybridops.db')}: `,
    );
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
