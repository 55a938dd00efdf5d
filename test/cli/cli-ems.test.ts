/**
 * `hybridops plan|apply|verify --ems local|remote`: the CLI against a real org, run as an admin runs it (a
 * child process), with Graph credentials from the environment. The lab stands in for the org: its Graph
 * endpoint with its own CA, and, through the lab-only hook, HybridOps.Lab in place of the Exchange snap-in.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadLabFile } from '../../src/lab/lab-file';
import type { LabState } from '../../src/lab/state';
import { startEmsLabOrg } from '../support/ems-lab-org';
import { DC, DOMAIN, fixedClock, repeatedMutations, tempDir, writeLabOrg } from '../support/lab-org';
import { describeWithShell } from '../support/pwsh';
import { cli } from '../support/run-cli';

const BIN = path.join(__dirname, '..', '..', 'bin', 'hybridops.js');
const clock = fixedClock();

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `hybridops <args>` in a child process, without blocking this one (it serves the lab). */
function hybridops(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 180_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the CLI with --ems, before anything runs', () => {
  const base = ['plan', '--runbook', 'teams', '--domain', DOMAIN, '--dc', DC];
  const graphEnv = {
    HYBRIDOPS_TENANT_ID: '11111111-2222-3333-4444-555555555555',
    HYBRIDOPS_GRAPH_CLIENT_ID: 'app',
    HYBRIDOPS_GRAPH_CLIENT_SECRET: 'secret',
  };

  it.each([
    ['no --connection-uri for remote', ['--ems', 'remote'], graphEnv, /--ems remote needs --connection-uri/],
    ['an unknown session kind', ['--ems', 'cloud'], graphEnv, /--ems must be local or remote/],
    ['--ems with --lab', ['--ems', 'local', '--lab', 'x.json'], graphEnv, /--ems and --lab/],
    ['no tenant', ['--ems', 'local'], {}, /Set HYBRIDOPS_TENANT_ID/],
    [
      'two credentials',
      ['--ems', 'local'],
      { ...graphEnv, HYBRIDOPS_GRAPH_MANAGED_IDENTITY: 'true' },
      /exactly one Graph credential/,
    ],
    [
      'no client id',
      ['--ems', 'local'],
      { ...graphEnv, HYBRIDOPS_GRAPH_CLIENT_ID: '' },
      /Set HYBRIDOPS_GRAPH_CLIENT_ID/,
    ],
  ])('refuses %s with exit 2 and one line', async (_case, extra, env, message) => {
    const run = await cli([...base, ...extra], { HYBRIDOPS_DB: ':memory:', ...env }, clock);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n')).toHaveLength(1);
  });
});

describeWithShell('the CLI with --ems against an org', () => {
  jest.setTimeout(300_000);
  let dir: string;
  let cleanup: () => void;
  let state: LabState;
  let lab: string;
  let env: NodeJS.ProcessEnv;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    lab = await writeLabOrg(dir, clock);
    state = loadLabFile(lab);
    const org = await startEmsLabOrg(lab, state, dir, clock);
    const certificateFile = path.join(dir, 'app.pem');
    fs.writeFileSync(certificateFile, org.appPem);
    env = {
      ...org.env,
      HYBRIDOPS_TENANT_ID: org.tenantId,
      HYBRIDOPS_GRAPH_CLIENT_ID: org.clientId,
      HYBRIDOPS_GRAPH_CERTIFICATE_FILE: certificateFile,
    };
    close = () => org.close();
  });
  afterAll(async () => {
    await close();
    cleanup();
  });

  const target = ['--runbook', 'teams', '--domain', DOMAIN, '--dc', DC];

  it('plans, applies and verifies with --ems local, journaled and audited like any run', async () => {
    const withSecret = {
      ...env,
      HYBRIDOPS_GRAPH_CERTIFICATE_FILE: undefined,
      HYBRIDOPS_GRAPH_CLIENT_SECRET: 'hybridops-lab-secret',
    };
    const plan = await hybridops(['plan', '--ems', 'local', ...target, '--json'], withSecret);
    expect(plan.stderr).toContain('--ems local is the lab module HybridOps.Lab');
    expect(plan.code).toBe(0);
    const changes = JSON.parse(plan.stdout).steps.filter(
      (step: { change: string }) => step.change !== 'none',
    );
    expect(changes.length).toBeGreaterThan(5);

    const applied = await hybridops(['apply', '--ems', 'local', ...target, '--yes'], env);
    expect([applied.code, applied.stdout]).toEqual([
      0,
      expect.stringMatching(/^Applied: \d+ step\(s\) changed/),
    ]);
    const verified = await hybridops(['verify', '--ems', 'local', ...target], env);
    expect([verified.code, verified.stdout]).toEqual([0, expect.not.stringMatching(/FAIL/)]);

    const log = loadLabFile(lab).org.commandLog;
    // Every Exchange command the plan showed ran once: one line of a step's command per cmdlet.
    const planned = changes
      .filter((step: { target: string }) => step.target === 'exchange')
      .flatMap((step: { command: string }) => step.command.split('\n'));
    expect(log.filter((entry) => entry.mutating).map((entry) => entry.cmdlet)).toEqual(
      planned.map((line: string) => line.split(' ')[0]),
    );
    expect(repeatedMutations(log)).toEqual([]);
    const history = JSON.parse((await hybridops(['history', '--json'], env)).stdout) as {
      action: string;
      target: string;
    }[];
    expect(history.some((entry) => entry.action === 'run.started' && entry.target === `org:${DOMAIN}`)).toBe(
      true,
    );
  });

  it('says why when this machine has no Exchange snap-in, and changes nothing', async () => {
    const before = loadLabFile(lab).org.commandLog.length;
    const run = await hybridops(['plan', '--ems', 'local', ...target], {
      ...env,
      HYBRIDOPS_EMS_LAB_URL: undefined,
      HYBRIDOPS_EMS_LAB_SECRET: undefined,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Exchange Management Shell could not be started: .*snap-in loads only in Windows PowerShell 5\.1/,
    );
    expect(loadLabFile(lab).org.commandLog.length).toBe(before);
  });

  it('reaches for a remote EMS session with --ems remote and says why it could not open one', async () => {
    const run = await hybridops(
      ['plan', '--ems', 'remote', '--connection-uri', 'http://ex01.contoso.com/PowerShell/', ...target],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Exchange Management Shell could not be started: .*(New-PSSession|WSMan|ex01)/i,
    );
  });
});
