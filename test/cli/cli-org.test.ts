/**
 * `hybridops plan|apply|verify --ems local|remote --org ID`: one org of the orgs file, acted on as the bot acts on
 * it. The file holds two orgs; the lab stands in for the second (its Graph endpoint with its own CA, and, through
 * the lab-only hook, HybridOps.Lab in place of the Exchange snap-in), so only its domain, DC, tenant and
 * credential can work.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { OrgEntryInput } from '../../src/config/orgs-file';
import { loadLabFile } from '../../src/lab/lab-file';
import type { LabState } from '../../src/lab/state';
import { startEmsLabOrg } from '../support/ems-lab-org';
import { fixedClock, tempDir, writeLabOrg } from '../support/lab-org';
import { describeWithShell } from '../support/pwsh';
import { cli } from '../support/run-cli';

const BIN = path.join(__dirname, '..', '..', 'bin', 'hybridops.js');
const clock = fixedClock();
const CONTOSO_TENANT = '11111111-2222-3333-4444-555555555555';

/** An orgs-file entry; `fabrikam` is the org the lab stands in for. */
function entry(id: string, tenantId: string, clientId: string, setting: string): OrgEntryInput {
  return {
    id,
    domain: `${id}.com`,
    dc: `dc01.${id}.com`,
    tenantId,
    testMailbox: `AdeleV@${id}.com`,
    agentId: `${id}-ex01`,
    graph: { clientId, credential: { certificateSetting: setting } },
    channel: { teamId: '19:msp-admins@thread.tacv2', channelId: `19:${id}@thread.tacv2` },
    approvers: ['00000000-0000-0000-0000-0000000000b1'],
  };
}

/** Writes a two-org file: contoso first, then fabrikam. */
function writeOrgs(file: string, fabrikamTenant: string, clientId: string): void {
  const orgs = [
    entry('contoso', CONTOSO_TENANT, clientId, 'GRAPH_CERT_CONTOSO'),
    entry('fabrikam', fabrikamTenant, clientId, 'GRAPH_CERT_FABRIKAM'),
  ];
  fs.writeFileSync(file, JSON.stringify({ orgs }, null, 2));
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `hybridops <args>` in a child process, without blocking this one (it serves the lab). */
/**
 * The environments of the PowerShell processes that run while it watches, found in /proc by the lab endpoint
 * their environment names (each test's own), read as each shell runs.
 */
function watchShells(endpointUrl: string): { stop(): string[][] } {
  const found = new Map<string, string[]>();
  const look = () => {
    for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (found.has(pid) || !fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('pwsh')) continue;
        const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        if (environ.includes(`HYBRIDOPS_LAB_URL=${endpointUrl}`)) found.set(pid, environ);
      } catch {
        // the process ended while it was read
      }
    }
  };
  const timer = setInterval(look, 20);
  return {
    stop() {
      clearInterval(timer);
      return [...found.values()];
    },
  };
}

function hybridops(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the CLI with --org, before anything runs', () => {
  const { dir, cleanup } = tempDir('hybridops-org-');
  const file = path.join(dir, 'orgs.json');
  const db = path.join(dir, 'hybridops.db');
  const env = {
    HYBRIDOPS_DB: db,
    HYBRIDOPS_ORGS: file,
    GRAPH_CERT_CONTOSO: '-----BEGIN CERTIFICATE-----',
    GRAPH_CERT_FABRIKAM: '-----BEGIN CERTIFICATE-----',
  };
  writeOrgs(file, '22222222-2222-3333-4444-555555555555', 'c0ffee00-0000-0000-0000-000000000001');
  const before = fs.readFileSync(file, 'utf8');
  afterAll(cleanup);

  it.each<[string, string[], NodeJS.ProcessEnv, string]>([
    ['--org with --lab', ['--lab', 'lab.json'], env, '--org and --lab name different orgs'],
    ['--org without --ems', [], env, '--org ID acts on a real org: add --ems local or --ems remote.'],
    [
      'another domain',
      ['--ems', 'local', '--domain', 'contoso.com'],
      env,
      '--domain contoso.com contradicts --org fabrikam, whose domain is fabrikam.com: leave --domain out.',
    ],
    [
      'another DC',
      ['--ems', 'local', '--dc', 'dc02.fabrikam.com'],
      env,
      '--dc dc02.fabrikam.com contradicts --org fabrikam, whose DC is dc01.fabrikam.com',
    ],
    [
      'another tenant',
      ['--ems', 'local', '--tenant-id', CONTOSO_TENANT],
      env,
      `--tenant-id ${CONTOSO_TENANT} contradicts --org fabrikam, whose tenant is 22222222-`,
    ],
    [
      'no orgs file',
      ['--ems', 'local'],
      { ...env, HYBRIDOPS_ORGS: undefined },
      '--org needs the orgs file: --file FILE, or set HYBRIDOPS_ORGS.',
    ],
    [
      'an orgs file that is not there',
      ['--ems', 'local', '--file', path.join(dir, 'missing.json')],
      env,
      `There is no orgs file at ${path.join(dir, 'missing.json')}`,
    ],
    [
      'an org whose credential setting is not set here',
      ['--ems', 'local'],
      { ...env, GRAPH_CERT_FABRIKAM: undefined },
      'Set GRAPH_CERT_FABRIKAM: org "fabrikam" keeps its Graph credential there',
    ],
  ])('refuses %s with exit 2 and one sentence, changing nothing', async (_case, extra, given, sentence) => {
    for (const command of ['plan', 'apply', 'verify']) {
      const yes = command === 'apply' ? ['--yes'] : [];
      const run = await cli([command, '--org', 'fabrikam', ...extra, ...yes], given, clock);
      expect({ code: run.code, stderr: run.stderr }).toEqual({
        code: 2,
        stderr: expect.stringContaining(sentence),
      });
      expect(run.stderr.split('\n')).toHaveLength(1);
    }
    expect(fs.existsSync(db)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('names the orgs the file has when the id is not one of them', async () => {
    const run = await cli(['verify', '--ems', 'local', '--org', 'northwind'], env, clock);
    expect([run.code, run.stderr]).toEqual([
      2,
      `hybridops: No org "northwind" in ${file}; its orgs are contoso, fabrikam.`,
    ]);
  });

  it('names the org when the certificate file its entry gives cannot be read', async () => {
    const pem = path.join(dir, 'fabrikam.pem');
    const orgs = path.join(dir, 'file-credential.json');
    const fabrikam = entry('fabrikam', CONTOSO_TENANT, 'app', 'UNUSED');
    const withFile = { ...fabrikam, graph: { clientId: 'app', credential: { certificateFile: pem } } };
    fs.writeFileSync(orgs, JSON.stringify({ orgs: [withFile] }));
    const run = await cli(['plan', '--ems', 'local', '--org', 'fabrikam', '--file', orgs], env, clock);
    expect([run.code, run.stderr]).toEqual([
      2,
      `hybridops: org "fabrikam"'s certificateFile: cannot read ${pem} (ENOENT).`,
    ]);
  });

  it('refuses --file without --org', async () => {
    const run = await cli(
      ['verify', '--ems', 'local', '--domain', 'fabrikam.com', '--file', file],
      env,
      clock,
    );
    expect([run.code, run.stderr]).toEqual([
      2,
      'hybridops: --file names the orgs file for --org ID: add --org, or leave --file out.',
    ]);
  });
});

describeWithShell('the CLI with --ems --org against the second org of the file', () => {
  jest.setTimeout(300_000);
  let dir: string;
  let cleanup: () => void;
  let state: LabState;
  let lab: string;
  let env: NodeJS.ProcessEnv;
  let tenantId: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    lab = await writeLabOrg(dir, clock, { domain: 'fabrikam.com' });
    state = loadLabFile(lab);
    const org = await startEmsLabOrg(lab, state, dir, clock);
    const orgs = path.join(dir, 'orgs.json');
    tenantId = org.tenantId;
    writeOrgs(orgs, tenantId, org.clientId);
    env = {
      ...org.env,
      HYBRIDOPS_ORGS: orgs,
      // As App Service hands a Key Vault reference to the process: the PEM text in the setting the org names.
      GRAPH_CERT_FABRIKAM: org.appPem,
    };
    close = () => org.close();
  });
  afterAll(async () => {
    await close();
    cleanup();
  });

  it('plans, applies and verifies fabrikam with its domain, DC, tenant and credential, as the bot names it', async () => {
    const saved = path.join(dir, 'plan.json');
    const plan = await hybridops(['plan', '--ems', 'local', '--org', 'fabrikam', '--out', saved], env);
    expect(plan.stderr).toContain('--ems local is the lab module HybridOps.Lab');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain("-DomainController 'dc01.fabrikam.com'");
    const planFile = JSON.parse(fs.readFileSync(saved, 'utf8'));
    expect(planFile.target).toBe('org:fabrikam.com');
    expect(planFile.inputs).toMatchObject({ domain: 'fabrikam.com', dc: 'dc01.fabrikam.com', tenantId });
    const reads = loadLabFile(lab).org.commandLog.map((logged) => logged.params as Record<string, unknown>);
    const controllers = new Set(reads.map((params) => params.DomainController).filter(Boolean));
    expect([...controllers]).toEqual(['dc01.fabrikam.com']);

    const applied = await hybridops(
      ['apply', '--ems', 'local', '--org', 'fabrikam', '--plan', saved, '--yes'],
      env,
    );
    expect([applied.code, applied.stdout]).toEqual([
      0,
      expect.stringMatching(/^Applied: \d+ step\(s\) changed/),
    ]);
    const history = JSON.parse((await hybridops(['history', '--json'], env)).stdout) as {
      action: string;
      target: string;
    }[];
    const started = history.filter((logged) => logged.action === 'run.started');
    expect(started.map((logged) => logged.target)).toEqual(['org:fabrikam.com']);

    // Repeating the org's own domain is allowed; its runbook and mailbox come from the file.
    const shells = watchShells(env.HYBRIDOPS_EMS_LAB_URL ?? '');
    const verified = await hybridops(
      ['verify', '--ems', 'local', '--org', 'fabrikam', '--domain', 'Fabrikam.com', '--json'],
      env,
    );
    // The Exchange shell never holds the org's Graph credential nor the database URL.
    const seen = shells.stop();
    expect(seen.length).toBeGreaterThan(0);
    for (const environ of seen) {
      expect(environ.some((line) => line.startsWith('GRAPH_CERT_FABRIKAM='))).toBe(false);
      expect(environ.some((line) => line.startsWith('HYBRIDOPS_DB='))).toBe(false);
      expect(environ.join('\n')).not.toContain('PRIVATE KEY');
    }
    expect(verified.code).toBe(0);
    const checks = JSON.parse(verified.stdout) as { runbook: string; checks: { ok: boolean }[] };
    expect(checks.runbook).toBe('teams');
    expect(checks.checks.every((check) => check.ok)).toBe(true);
    const oauth = loadLabFile(lab).org.commandLog.filter(
      (logged) => logged.cmdlet === 'Test-OAuthConnectivity',
    );
    expect(oauth.at(-1)?.params).toMatchObject({ Mailbox: 'AdeleV@fabrikam.com' });
  });
});
