import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodedError } from '../../src/core/errors';
import { createLabFile, loadLabFile, saveLabFile } from '../../src/lab/lab-file';
import { freshState } from './support';

const FIXTURES = join(__dirname, 'fixtures');

function thrown(fn: () => unknown): CodedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error('expected a CodedError');
}

describe('the lab file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hybridops-lab-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a missing file as LAB_FILE_MISSING naming the path', () => {
    const path = join(dir, 'nope.json');
    const error = thrown(() => loadLabFile(path));
    expect(error.code).toBe('LAB_FILE_MISSING');
    expect(error.message).toContain(path);
  });

  it('reports truncated JSON as LAB_FILE_CORRUPT', () => {
    const path = join(FIXTURES, 'corrupt-truncated-json.txt');
    const error = thrown(() => loadLabFile(path));
    expect(error.code).toBe('LAB_FILE_CORRUPT');
    expect(error.message).toMatch(/corrupt-truncated-json\.txt is not valid JSON/);
  });

  it('reports a schema violation as LAB_FILE_CORRUPT with the first offending path', () => {
    const path = join(FIXTURES, 'corrupt-wrong-schema.json');
    const error = thrown(() => loadLabFile(path));
    expect(error.code).toBe('LAB_FILE_CORRUPT');
    expect(error.message).toContain('org.domainControllers');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('round-trips a saved state exactly', async () => {
    const state = await freshState();
    const path = join(dir, 'lab.json');
    saveLabFile(path, state);
    expect(loadLabFile(path)).toEqual(state);
  });

  it('replaces the file atomically and leaves no temp file behind', async () => {
    const state = await freshState();
    const path = join(dir, 'lab.json');
    writeFileSync(path, 'old content');
    saveLabFile(path, state);
    expect(readdirSync(dir)).toEqual(['lab.json']);
    expect(JSON.parse(readFileSync(path, 'utf8')).org.domain).toBe('contoso.com');
  });

  it('leaves the old file untouched when the write fails', async () => {
    const state = await freshState();
    const missingDir = join(dir, 'missing', 'lab.json');
    const error = thrown(() => saveLabFile(missingDir, state));
    expect(error.code).toBe('LAB_FILE_UNWRITABLE');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to create over an existing file unless told to overwrite', async () => {
    const state = await freshState();
    const path = join(dir, 'lab.json');
    writeFileSync(path, 'keep me');
    const error = thrown(() => createLabFile(path, state, { overwrite: false }));
    expect(error.code).toBe('LAB_FILE_EXISTS');
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['lab.json']);

    createLabFile(path, state, { overwrite: true });
    expect(loadLabFile(path)).toEqual(state);
  });

  it('creates a new file when none exists', async () => {
    const state = await freshState();
    const path = join(dir, 'new-lab.json');
    createLabFile(path, state, { overwrite: false });
    expect(loadLabFile(path)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['new-lab.json']);
  });

  it('accepts a file written before plain directory users were recorded', async () => {
    const state = await freshState();
    const { users: _users, ...orgWithoutUsers } = state.org;
    const path = join(dir, 'old.json');
    writeFileSync(path, JSON.stringify({ ...state, org: orgWithoutUsers }));
    expect(loadLabFile(path).org.users).toEqual([]);
  });
});

describe('a writer killed in the middle of a write', () => {
  const BIN = join(__dirname, '..', '..', 'bin', 'hybridops.js');
  let dir: string;
  let live: ChildProcess | null = null;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hybridops-lab-'));
  });
  afterEach(() => {
    live?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const temps = () => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

  it('leaves its temp file only until the next open, which removes it and keeps a live writer’s', async () => {
    const path = join(dir, 'lab.json');
    saveLabFile(path, await freshState());
    const before = readFileSync(path, 'utf8');
    // lab init --force replaces the file; the preload kills the CLI with SIGKILL once its temp file is written.
    const killed = spawn(
      process.execPath,
      ['--require', join(FIXTURES, 'kill-at-rename.cjs'), BIN, 'lab', 'init', '--out', path, '--force'],
      { stdio: 'ignore' },
    );
    const signal = await new Promise((resolve) => killed.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    expect(temps()).toEqual([
      expect.stringMatching(new RegExp(`^\\.lab\\.json\\.${killed.pid}\\.[0-9a-f]+\\.tmp$`)),
    ]);
    expect(readFileSync(path, 'utf8')).toBe(before);

    // Another process that is still writing: its temp file must stay.
    live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    const writing = `.lab.json.${live.pid}.0123456789ab.tmp`;
    writeFileSync(join(dir, writing), '{}');
    expect(loadLabFile(path)).toEqual(JSON.parse(before));
    expect(temps()).toEqual([writing]);
  });

  it('leaves no temp file behind when it ends normally', async () => {
    const path = join(dir, 'lab.json');
    saveLabFile(path, await freshState());
    const cli = spawn(process.execPath, [BIN, 'lab', 'init', '--out', path, '--force'], { stdio: 'ignore' });
    expect(await new Promise((resolve) => cli.on('exit', resolve))).toBe(0);
    expect(readdirSync(dir)).toEqual(['lab.json']);
  });
});

describe('a lab file written before servers, overrides and applications existed', () => {
  const OLD = join(FIXTURES, 'lab-before-servers.json');
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hybridops-lab-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads with its one server holding its certificates and the version it named, and the new fields empty', () => {
    const state = loadLabFile(OLD);
    const thumbprint = state.org.authConfig.currentCertificateThumbprint;
    expect(state.org.servers).toEqual([
      {
        name: 'EX01',
        fqdn: 'ex01.fabrikam.com',
        role: 'Mailbox',
        edition: 'Standard',
        adminDisplayVersion: 'Version 15.2 (Build 1544.4)',
        exSetupVersion: '15.02.1544.004',
        site: 'Default-First-Site-Name',
        online: true,
        certificates: [thumbprint],
        overridesRefreshedAt: null,
      },
    ]);
    expect(state.org.localServer).toBe('EX01');
    expect(state.org.exchange).toEqual({
      rejectsApplicationAccount: false,
      latencyMs: 0,
      oauthTestScope: 'end-to-end',
      authAdminLastRunAt: null,
    });
    expect(state.org.acceptedDomains.map((domain) => domain.domainName)).toEqual(['fabrikam.com']);
    expect(state.org.settingOverrides).toEqual([]);
    expect(state.org.authServers.map((s) => [s.applicationIdentifier, s.domainName])).toEqual([
      [null, []],
      [null, []],
    ]);
    expect(state.tenant).toMatchObject({ cloud: 'Global', applications: [], appRoleAssignments: [] });
    const exchangeOnline = state.tenant.servicePrincipals.find(
      (sp) => sp.appId === '00000002-0000-0ff1-ce00-000000000000',
    );
    expect(exchangeOnline?.appRoles.map((role) => [role.value, role.id])).toEqual([
      ['full_access_as_app', 'dc890d15-9560-4a4c-9b7f-a736ec74ec40'],
    ]);
  });

  it('gives each object its own new lists, so a change to one never shows on another', () => {
    const first = loadLabFile(OLD);
    const [a, b] = first.tenant.servicePrincipals;
    a?.tags.push('HideApp');
    first.tenant.appRoleAssignments.push({
      id: 'x',
      principalId: 'p',
      resourceId: 'r',
      appRoleId: 'a',
      createdDateTime: '2026-01-01T00:00:00Z',
    });
    expect(b?.tags).toEqual([]);
    expect(loadLabFile(OLD).tenant.appRoleAssignments).toEqual([]);
  });

  it('gets the same organization GUID every time, and keeps it once saved', () => {
    const guid = loadLabFile(OLD).org.organizationGuid;
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(loadLabFile(OLD).org.organizationGuid).toBe(guid);
    const path = join(dir, 'upgraded.json');
    saveLabFile(path, loadLabFile(OLD));
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.org.organizationGuid).toBe(guid);
    expect(saved.org.exchange.adminDisplayVersion).toBeUndefined();
    expect(loadLabFile(path)).toEqual(loadLabFile(OLD));
  });
});
