import fs from 'node:fs';
import path from 'node:path';
import { fixedClock, tempDir } from '../support/lab-org';
import { cli } from '../support/run-cli';

const CONTOSO = [
  '--id',
  'contoso',
  '--domain',
  'contoso.com',
  '--dc',
  'dc01.contoso.com',
  '--tenant-id',
  '11111111-2222-3333-4444-555555555555',
  '--agent',
  'contoso-ex01',
  '--team',
  '19:msp-admins@thread.tacv2',
  '--channel',
  '19:contoso@thread.tacv2',
  '--channel-tenant-id',
  '99999999-8888-7777-6666-555555555555',
  '--operators',
  '00000000-0000-0000-0000-0000000000a1',
  '--approvers',
  '00000000-0000-0000-0000-0000000000B1',
  '--graph-client-id',
  'c0ffee00-0000-0000-0000-000000000001',
  '--graph-certificate-setting',
  'GRAPH_CERT_CONTOSO',
];
const FABRIKAM = CONTOSO.map((word) =>
  word
    .replace('contoso-ex01', 'fabrikam-ex01')
    .replace(/contoso/g, 'fabrikam')
    .replace(/CONTOSO/g, 'FABRIKAM')
    .replace('11111111-2222', '22222222-2222'),
);

describe('hybridops orgs', () => {
  const { dir, cleanup } = tempDir('hybridops-orgs-');
  const file = path.join(dir, 'orgs.json');
  const env = { HYBRIDOPS_ORGS: file };
  const run = (...argv: string[]) => cli(argv, env, fixedClock());
  afterAll(cleanup);

  it('adds orgs to the file, lists them without secrets, and removes one', async () => {
    expect((await run('orgs', 'list')).stdout).toContain('No orgs in');
    const added = await run('orgs', 'add', ...CONTOSO);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Added org contoso (contoso.com)');
    expect((await run('orgs', 'add', ...FABRIKAM)).code).toBe(0);
    const listed = await run('orgs', 'list');
    expect(listed.stdout).toContain(
      'contoso          contoso.com (tenant 11111111-2222-3333-4444-555555555555)',
    );
    expect(listed.stdout).toContain(
      'agent fabrikam-ex01; Graph app c0ffee00-0000-0000-0000-000000000001, certificate in GRAPH_CERT_FABRIKAM',
    );
    expect(listed.stdout).toContain(
      'channel 19:contoso@thread.tacv2 in team 19:msp-admins@thread.tacv2; 1 operator(s), 1 approver(s)',
    );
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(saved.orgs[0].approvers).toEqual(['00000000-0000-0000-0000-0000000000b1']);
    expect(saved.orgs[0].channel.tenantId).toBe('99999999-8888-7777-6666-555555555555');
    const removed = await run('orgs', 'remove', '--id', 'contoso');
    expect(removed.stdout).toContain('Removed org contoso');
    expect(
      JSON.parse((await run('orgs', 'list', '--json')).stdout).map((org: { id: string }) => org.id),
    ).toEqual(['fabrikam']);
  });

  it('refuses bad input with one sentence and leaves the file as it was', async () => {
    const other = { HYBRIDOPS_ORGS: path.join(dir, 'other.json') };
    const run = (...argv: string[]) => cli(argv, other, fixedClock());
    expect((await run('orgs', 'add', ...FABRIKAM)).code).toBe(0);
    const file = other.HYBRIDOPS_ORGS;
    const before = fs.readFileSync(file, 'utf8');
    const cases: [string[], string][] = [
      [[...FABRIKAM], 'Org "fabrikam" is already in'],
      [[...CONTOSO.slice(0, -2)], 'orgs add needs exactly one Graph credential'],
      [
        CONTOSO.map((word) => (word === '19:contoso@thread.tacv2' ? '19:fabrikam@thread.tacv2' : word)),
        'orgs "fabrikam" and "contoso" have the same admin channel',
      ],
      [CONTOSO.map((word) => (word === 'contoso-ex01' ? 'fabrikam-ex01' : word)), 'the same relay agent'],
      [
        CONTOSO.map((word) => (word === '00000000-0000-0000-0000-0000000000B1' ? 'Lee Gu' : word)),
        'approvers.0: an Entra object id (a GUID)',
      ],
      [CONTOSO.map((word) => (word === 'contoso' ? 'Contoso Ltd' : word)), 'a short id: lower-case letters'],
    ];
    for (const [argv, sentence] of cases) {
      const answer = await run('orgs', 'add', ...argv);
      expect({ code: answer.code, stderr: answer.stderr }).toEqual({
        code: 2,
        stderr: expect.stringContaining(sentence),
      });
      expect(fs.readFileSync(file, 'utf8')).toBe(before);
    }
    expect((await run('orgs', 'remove', '--id', 'nobody')).stderr).toContain('No org "nobody"');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});
