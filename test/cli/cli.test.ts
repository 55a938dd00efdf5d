import fs from 'node:fs';
import path from 'node:path';
import { DC, DOMAIN, fixedClock, tempDir, writeLabOrg } from '../support/lab-org';
import { cli } from '../support/run-cli';

const clock = fixedClock();

describe('the hybridops CLI', () => {
  let dir: string;
  let cleanup: () => void;
  let lab: string;
  let env: NodeJS.ProcessEnv;
  const run = (...argv: string[]) => cli(argv, env, clock);
  const target = () => ['--lab', lab, '--domain', DOMAIN, '--dc', DC];

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir());
    lab = await writeLabOrg(dir, clock);
    env = { HYBRIDOPS_DB: path.join(dir, 'hybridops.db'), HYBRIDOPS_ACTOR: 'alice' };
  });
  afterEach(() => cleanup());

  it('creates a lab org with lab init and refuses to overwrite it without --force', async () => {
    const out = path.join(dir, 'new.json');
    const created = await run('lab', 'init', '--out', out, '--domain', 'fabrikam.com', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      domain: 'fabrikam.com',
      domainController: 'dc01.fabrikam.com',
    });
    const again = await run('lab', 'init', '--out', out);
    expect(again.code).toBe(2);
    expect(again.stderr.split('\n')).toHaveLength(1);
    expect((await run('lab', 'init', '--out', out, '--force')).code).toBe(0);
  });

  it('creates an org as most are today by default: hybrid OAuth, the key on the shared principal, no dedicated app', async () => {
    const out = path.join(dir, 'today.json');
    const created = await run('lab', 'init', '--out', out, '--json');
    expect(JSON.parse(created.stdout)).toMatchObject({
      hybridOAuth: true,
      sharedPrincipalKey: true,
      dedicatedApp: null,
      servers: [{ name: 'EX01', role: 'Mailbox', exSetupVersion: '15.02.1748.024' }],
    });
    const bare = path.join(dir, 'bare.json');
    const noOAuth = JSON.parse(
      (await run('lab', 'init', '--out', bare, '--no-hybrid-oauth', '--json')).stdout,
    );
    expect(noOAuth).toMatchObject({ hybridOAuth: false, sharedPrincipalKey: false, dedicatedApp: null });
  });

  it('creates the servers, builds and dedicated hybrid application asked for, and the org answers for them', async () => {
    const out = path.join(dir, 'servers.json');
    const guid = '0b7b3c0e-4f6e-4d7a-9a51-3f2a1c9e8d70';
    const servers = 'EX01:15.2.1544.25,EX02:15.1.2507.44:site=Branch,EDGE01:Edge';
    const created = await run(
      'lab',
      'init',
      '--out',
      out,
      '--servers',
      servers,
      '--dedicated-app',
      '--no-shared-key',
      '--organization-guid',
      guid,
    );
    expect(created.stdout).toContain(
      'Servers: EX01 (Mailbox, 15.02.1544.025, Default-First-Site-Name), EX02 (Mailbox, 15.01.2507.044, Branch), EDGE01 (Edge, 15.02.1748.024, Default-First-Site-Name)',
    );
    expect(created.stdout).toContain(
      `no key on the shared principal; dedicated hybrid application ExchangeServerApp-${guid}`,
    );
    const listed = await run('lab', 'exec', '--lab', out, 'Get-ExchangeServer');
    expect(
      JSON.parse(listed.stdout).map((s: { AdminDisplayVersion: string }) => s.AdminDisplayVersion),
    ).toEqual(['Version 15.2 (Build 1544.4)', 'Version 15.1 (Build 2507.6)', 'Version 15.2 (Build 1748.10)']);
  });

  it('refuses a server list it cannot read, naming the part, with exit code 2', async () => {
    const refused = await run('lab', 'init', '--out', path.join(dir, 'x.json'), '--servers', 'EX01:15.2');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"15.2" in "EX01:15.2" is not a build');
    const edgeOnly = await run('lab', 'init', '--out', path.join(dir, 'y.json'), '--servers', 'EDGE01:Edge');
    expect(edgeOnly.stderr).toContain('--servers needs at least one Mailbox server.');
  });

  it('prints the plan as JSON in the documented shape', async () => {
    const planned = await run('plan', ...target(), '--runbook', 'sfb-online', '--json');
    expect(planned.code).toBe(0);
    const plan = JSON.parse(planned.stdout);
    expect(plan.runbook).toBe('sfb-online');
    for (const step of plan.steps) {
      expect(Object.keys(step)).toEqual(
        expect.arrayContaining(['id', 'title', 'target', 'change', 'command', 'warnings']),
      );
      expect(['exchange', 'graph']).toContain(step.target);
      expect(['create', 'update', 'delete', 'none']).toContain(step.change);
    }
  });

  it('applies with --yes, verifies with exit 0, and shows the run in history', async () => {
    expect((await run('apply', ...target(), '--runbook', 'sfb-online')).code).toBe(2);
    const applied = await run('apply', ...target(), '--runbook', 'sfb-online', '--yes');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^Applied: \d+ step\(s\) changed/);
    expect(applied.stderr).toMatch(/done +Mail user SfBOnline-ApplicationAccount/);

    const verified = await run('verify', '--lab', lab, '--runbook', 'sfb-online', '--json');
    expect(verified.code).toBe(0);
    const { checks } = JSON.parse(verified.stdout);
    expect(checks.length).toBeGreaterThan(5);
    expect(checks.every((check: { ok: boolean }) => check.ok)).toBe(true);

    const history = await run('history', '--json');
    const entries = JSON.parse(history.stdout);
    expect(entries[0]).toMatchObject({ action: 'run.started', actor: 'alice', runbook: 'sfb-online' });
    expect(
      entries.some((entry: { detail: string }) => entry.detail.startsWith('New-PartnerApplication')),
    ).toBe(true);
    expect((await run('history')).stdout).toMatch(/alice {2}command/);
  });

  it('verify exits 1 and says what is missing on an org where nothing is configured', async () => {
    const verified = await run('verify', '--lab', lab, '--runbook', 'teams');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/FAIL {2}Mail user TeamsScheduler/);
  });

  it('runs one allowlisted command with lab exec and refuses anything else', async () => {
    const listed = await run(
      'lab',
      'exec',
      '--lab',
      lab,
      "Get-PartnerApplication -Identity 'Exchange Online'",
    );
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({
      ApplicationIdentifier: '00000002-0000-0ff1-ce00-000000000000',
    });

    const before = fs.readFileSync(lab, 'utf8');
    const piped = await run(
      'lab',
      'exec',
      '--lab',
      lab,
      'Get-PartnerApplication | Remove-PartnerApplication',
    );
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/pipeline/i);
    const forbidden = await run('lab', 'exec', '--lab', lab, 'Remove-Mailbox -Identity x');
    expect(forbidden.code).toBe(2);
    expect(fs.readFileSync(lab, 'utf8')).toBe(before);

    const missing = await run('lab', 'exec', '--lab', lab, "Get-MailUser -Identity 'Nobody'");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/couldn't be found on 'dc01.contoso.com'/);
  });

  describe.each([
    ['an unknown command', ['frobnicate'], /Unknown command "frobnicate"/],
    ['an unknown option', ['plan', '--lab', 'x', '--colour'], /Unknown option '--colour'/],
    [
      'an unknown runbook',
      ['plan', '--lab', '@LAB', '--runbook', 'exchange-magic', '--domain', DOMAIN, '--dc', DC],
      /Unknown runbook "exchange-magic"/,
    ],
    [
      'a bad domain',
      ['plan', '--lab', '@LAB', '--runbook', 'teams', '--domain', 'not a domain', '--dc', DC],
      /verified domain must be a domain name/,
    ],
    [
      'a bad DC',
      ['apply', '--lab', '@LAB', '--runbook', 'teams', '--domain', DOMAIN, '--dc', 'dc01', '--yes'],
      /fully qualified/,
    ],
    [
      'a missing DC',
      ['plan', '--lab', '@LAB', '--runbook', 'teams', '--domain', DOMAIN],
      /needs the domain controller FQDN/,
    ],
    [
      'a bad tenant id',
      ['plan', '--lab', '@LAB', '--runbook', 'teams', '--domain', DOMAIN, '--dc', DC, '--tenant-id', 'abc'],
      /tenant id must be a GUID/,
    ],
    [
      'a word apply does not take',
      ['apply', '--lab', '@LAB', '--runbook', 'teams', '--domain', DOMAIN, '--dc', DC, '--yes', 'now'],
      /"apply" takes no argument "now"/,
    ],
    [
      'the runbook as a word instead of --runbook',
      ['plan', 'teams', '--lab', '@LAB', '--runbook', 'teams', '--domain', DOMAIN, '--dc', DC],
      /"plan" takes no argument "teams"/,
    ],
    [
      'a word after verify',
      ['verify', '--lab', '@LAB', '--runbook', 'teams', 'all'],
      /"verify" takes no argument "all"/,
    ],
    [
      'a word after agents list',
      ['agents', 'list', 'everything'],
      /"agents list" takes no argument "everything"/,
    ],
    [
      'a second token',
      ['inspect-token', 'eyJ.a.b', 'eyJ.c.d'],
      /"inspect-token eyJ.a.b" takes no argument "eyJ.c.d"/,
    ],
    [
      'a value for a flag that takes none',
      ['apply', '--lab', '@LAB', '--runbook', 'teams', '--yes=maybe'],
      /'--yes' does not take an argument/,
    ],
    [
      'a missing lab file',
      ['plan', '--lab', '@DIR/nope.json', '--runbook', 'teams', '--domain', DOMAIN, '--dc', DC],
      /nope\.json/,
    ],
    [
      'remove-legacy-sfb without acknowledgement',
      ['apply', '--lab', '@LAB', '--runbook', 'remove-legacy-sfb', '--dc', DC, '--yes'],
      /Don't delete the legacy/,
    ],
  ])('given %s', (_case, argv, message) => {
    it('prints one clear line on stderr, exits 2 and leaves the lab file untouched', async () => {
      const before = fs.readFileSync(lab);
      const result = await run(...argv.map((arg) => arg.replace('@LAB', lab).replace('@DIR', dir)));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(fs.readFileSync(lab).equals(before)).toBe(true);
    });
  });

  it.each([
    [
      'a domain with a second command in it',
      ['--domain', 'contoso.com;New-MailUser'],
      /Invalid domain: the verified domain must be a domain name/,
    ],
    ['a domain with a space', ['--domain', 'contoso .com'], /Invalid domain/],
    ['an empty domain', ['--domain', ''], /Invalid domain/],
    [
      'a tenant id that is not a GUID',
      ['--tenant-id', 'contoso'],
      /Invalid tenantId: the tenant id must be a GUID/,
    ],
    ['a word lab init does not take', ['contoso.com'], /"lab init" takes no argument "contoso.com"/],
  ])('refuses lab init with %s: exit 2, one line, nothing written', async (_case, extra, message) => {
    const out = path.join(dir, 'refused.json');
    const before = fs.readdirSync(dir).sort();
    const result = await run('lab', 'init', '--out', out, ...extra);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it('says which databases HYBRIDOPS_DB may name, in one line with exit 2, before it changes anything', async () => {
    const before = fs.readFileSync(lab);
    env = { ...env, HYBRIDOPS_DB: 'mysql://hybridops@db.contoso.com/hybridops' };
    const result = await run('apply', ...target(), '--runbook', 'sfb-online', '--yes');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'hybridops: HYBRIDOPS_DB names a mysql:// database: give a SQLite file path or a postgres:// URL.',
    );
    expect(fs.readFileSync(lab).equals(before)).toBe(true);
  });

  it.each([
    ['truncated JSON', '{"version":1,"org":'],
    ['the wrong schema', '{"version":1,"org":{},"tenant":{}}'],
  ])('refuses a lab file with %s in one line, exit 2, file untouched', async (_case, content) => {
    fs.writeFileSync(lab, content);
    const result = await run('apply', ...target(), '--runbook', 'teams', '--yes');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/lab\.json/);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(fs.readFileSync(lab, 'utf8')).toBe(content);
  });
});
