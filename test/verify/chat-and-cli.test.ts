import { runCli } from '../../src/cli/main';
import { getRunbook } from '../../src/runbooks';
import { certificateStatus } from '../../src/verify/certificate-status';
import { certificateLines, verifyReportLines } from '../../src/verify/describe';
import { formatInspection, inspectToken } from '../../src/verify/token/inspect-token';
import { disablePartnerApplication } from './faults';
import { openVerifiedLab, type VerifiedLab } from './lab';

describe('the verify, cert and inspect replies', () => {
  let lab: VerifiedLab;
  beforeAll(async () => {
    lab = await openVerifiedLab();
  });
  afterAll(() => lab.close());

  it('lists each failing check with its fix and the runbook that plans it', async () => {
    await disablePartnerApplication(lab.session, 'TeamsScheduler');
    const text = verifyReportLines(await lab.verify()).join('\n');
    expect(text).toMatch(/^1 of \d+ checks of teams fail:\n✗ Partner application TeamsScheduler/);
    expect(text).toContain("    Set-PartnerApplication -Identity 'TeamsScheduler' -Enabled $true");
    expect(text).toContain('    Plan the fix: plan teams');
    await lab.apply('teams');
    expect(verifyReportLines(await lab.verify()).join('\n')).toMatch(/^All \d+ checks of teams pass\.$/);
  });

  it('shows the certificates and the key on each service principal for "cert"', async () => {
    const text = certificateLines(await certificateStatus(getRunbook('teams'), lab.inputs, lab.deps)).join(
      '\n',
    );
    expect(text).toMatch(
      /^Current: [0-9A-F]{40} \(CN=Microsoft Exchange Server Auth Certificate\), valid .* — 1825 days left\.\nNext: none staged\./,
    );
    expect(text).toMatch(/\nCloud Voicemail: [0-9A-F]{40} to 2031-11-20T12:00:00Z\./);
  });

  it('answers "inspect" with garbage in one sentence', () => {
    expect(formatInspection(inspectToken('not a token', { now: lab.clock.now() }))).toBe(
      'That is not a JWT: expected three parts separated by dots (header.payload.signature), found 1.',
    );
  });
});

describe('the CLI', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        out: (t: string) => out.push(t),
        err: (t: string) => err.push(t),
        env: {},
        clock: { now: () => new Date('2026-11-21T12:00:00Z') },
      },
    };
  };

  it('inspect-token prints the inspection as JSON and exits 0 when nothing is wrong', async () => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'none' })}.${part({ iss: '/db7de2b5-2149-435e-8043-e080dd50afae@contoso.onmicrosoft.com', aud: '00000002-0000-0ff1-ce00-000000000000/mail.contoso.com@contoso.onmicrosoft.com' })}.`;
    const run = io();
    expect(await runCli(['inspect-token', token, '--json'], run.io)).toBe(0);
    expect(JSON.parse(run.out[0] ?? '')).toMatchObject({
      kind: 'token',
      issuer: { appName: 'Cloud Voicemail', leadingSlash: true },
    });
  });

  it('inspect-token exits 2 with one sentence for garbage', async () => {
    const run = io();
    expect(await runCli(['inspect-token', 'garbage'], run.io)).toBe(2);
    expect(run.err).toEqual([
      'hybridops: That is not a JWT: expected three parts separated by dots (header.payload.signature), found 1.',
    ]);
  });

  it("verify --json carries each check's fix and exits 1 while one fails", async () => {
    const lab = await openVerifiedLab();
    try {
      await disablePartnerApplication(lab.session, 'CloudVoicemail');
      const run = io();
      run.io.clock = lab.clock;
      const code = await runCli(
        ['verify', '--lab', lab.file, '--runbook', 'teams', '--mailbox', 'AdeleV@contoso.com', '--json'],
        run.io,
      );
      expect(code).toBe(1);
      const checks = (JSON.parse(run.out[0] ?? '') as { checks: { id: string; ok: boolean; fix: string }[] })
        .checks;
      expect(checks.find((check) => check.id === 'partner-cloudvoicemail')).toMatchObject({
        ok: false,
        fix: expect.stringMatching(/^Set-PartnerApplication /),
      });
      expect(checks.find((check) => check.id === 'voicemail-greeting')?.ok).toBe(false);
    } finally {
      await lab.close();
    }
  });
});
