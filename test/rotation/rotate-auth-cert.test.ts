import { planRunbook } from '../../src/engine/planner';
import { getRunbook } from '../../src/runbooks';
import { APP_IDS } from '../../src/runbooks/app-ids';
import { failing, openVerifiedLab, type VerifiedLab } from '../verify/lab';

const USED = [APP_IDS.cloudVoicemail, APP_IDS.teamsScheduler, APP_IDS.skypeForBusinessOnline];

function thumbprints(lab: VerifiedLab, appId: string): string[] {
  const sp = lab.session.state.tenant.servicePrincipals.find((candidate) => candidate.appId === appId);
  return (sp?.keyCredentials ?? []).map((key) => key.customKeyIdentifier ?? '');
}

describe('the rotate-auth-cert runbook in the lab', () => {
  let lab: VerifiedLab;
  let original: string;
  beforeAll(async () => {
    // The runbook doesn't put the new key on the dedicated hybrid application yet (issue 11), so the OAuth test
    // judges the on-premises side only.
    lab = await openVerifiedLab({ oauthTestScope: 'on-premises' });
    original = lab.session.state.org.authConfig.currentCertificateThumbprint;
    // 40 days before the certificate expires: inside the 60-day renewal window.
    await lab.advanceDays(1825 - 40);
  });
  afterAll(() => lab.close());

  it('plans the new certificate, its staging and the uploads, and leaves publishing for the effective date', async () => {
    const { plan } = await planRunbook(getRunbook('rotate-auth-cert'), lab.inputs, lab.deps);
    const changes = Object.fromEntries(plan.steps.map((step) => [step.id, step.change]));
    expect(changes).toEqual({
      'new-auth-certificate': 'create',
      'stage-auth-certificate': 'update',
      'upload-cloudvoicemail': 'update',
      'upload-teamsscheduler': 'update',
      'upload-sfbonline': 'update',
      'publish-auth-certificate': 'none',
      'clear-previous-auth-certificate': 'none',
    });
    // The new certificate is a named value: staging and the uploads use it, and the approval covers them.
    expect(plan.steps[0]?.command).toBe(
      "$newCertificate = New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName 'CN=Microsoft Exchange Server Auth Certificate' -FriendlyName 'Microsoft Exchange Server Auth Certificate' -DomainName @() -Services 'None'",
    );
    expect(plan.steps[1]?.command).toMatch(
      /^Set-AuthConfig -NewCertificateThumbprint \$newCertificate\.Thumbprint -NewCertificateEffectiveDate '[^']+' -DomainController 'dc01\.contoso\.com'$/,
    );
    const upload = plan.steps[2]?.command.split('\n') ?? [];
    expect(upload[0]).toBe(
      '$newCertificateFile = Export-ExchangeCertificate -Thumbprint $newCertificate.Thumbprint -BinaryEncoded',
    );
    expect(upload[1]).toMatch(
      /^PATCH \/v1\.0\/servicePrincipals\/[^ ]+ \{"keyCredentials":\[.*"key":\$newCertificateFile\.FileData\}\]\}$/,
    );
    expect(plan.steps[3]?.command).not.toContain('Export-ExchangeCertificate');
  });

  it('stages the new certificate 48 hours ahead and puts its key next to the old one on every service principal', async () => {
    await lab.apply('rotate-auth-cert');
    const config = lab.session.state.org.authConfig;
    expect(config.currentCertificateThumbprint).toBe(original);
    const next = config.nextCertificateThumbprint ?? '';
    expect(next).not.toBe('');
    expect(Date.parse(config.nextCertificateEffectiveDate ?? '') - lab.clock.now().getTime()).toBe(
      48 * 3_600_000,
    );
    for (const appId of USED) expect(thumbprints(lab, appId).sort()).toEqual([original, next].sort());
    expect(thumbprints(lab, APP_IDS.exchangeOnline)).toEqual([]);
    expect(failing(await lab.verify('teams'))).toEqual([]);
  });

  it('publishes the certificate once it is effective, and verify stays green on every service principal', async () => {
    const next = lab.session.state.org.authConfig.nextCertificateThumbprint;
    await lab.advanceDays(1);
    expect((await lab.check('auth-certificate-next')).ok).toBe(true);
    await lab.advanceDays(1);
    expect((await lab.check('auth-certificate-next')).ok).toBe(false);
    await lab.apply('rotate-auth-cert');
    const config = lab.session.state.org.authConfig;
    expect(config.currentCertificateThumbprint).toBe(next);
    expect(config.previousCertificateThumbprint).toBe(original);
    expect(failing(await lab.verify('teams'))).toEqual([]);
    expect(failing(await lab.verify('rotate-auth-cert'))).toEqual([]);
  });

  it('clears the previous certificate and removes its key once it has expired', async () => {
    await lab.advanceDays(40);
    for (const appId of USED) expect(thumbprints(lab, appId)).toContain(original);
    await lab.apply('rotate-auth-cert');
    expect(lab.session.state.org.authConfig.previousCertificateThumbprint).toBeNull();
    for (const appId of USED)
      expect(thumbprints(lab, appId)).toEqual([
        lab.session.state.org.authConfig.currentCertificateThumbprint,
      ]);
    const report = await lab.verify('teams');
    expect(failing(report)).toEqual([]);
    expect(report.checks.find((check) => check.id === 'sp-key-db7de2b5')?.detail).not.toMatch(/Expired keys/);
  });

  it('changes nothing when planned again right after', async () => {
    const { plan } = await planRunbook(getRunbook('rotate-auth-cert'), lab.inputs, lab.deps);
    expect(plan.steps.filter((step) => step.change !== 'none')).toEqual([]);
  });
});

describe('the rotate-auth-cert runbook on a Skype for Business Online org', () => {
  it('updates only the service principal whose partner application the org has', async () => {
    const lab = await openVerifiedLab({ oauthTestScope: 'on-premises' }, 'sfb-online');
    try {
      await lab.advanceDays(1825 - 30);
      const { plan } = await planRunbook(getRunbook('rotate-auth-cert'), lab.inputs, lab.deps);
      const uploads = plan.steps.filter((step) => step.id.startsWith('upload-'));
      expect(uploads.map((step) => [step.id, step.change])).toEqual([
        ['upload-cloudvoicemail', 'none'],
        ['upload-teamsscheduler', 'none'],
        ['upload-sfbonline', 'update'],
      ]);
      expect(uploads[0]?.detail).toMatch(/not part of this org's integration/);
      await lab.apply('rotate-auth-cert');
      expect(thumbprints(lab, APP_IDS.teamsScheduler)).toEqual([]);
      expect(thumbprints(lab, APP_IDS.skypeForBusinessOnline)).toHaveLength(2);
      expect(failing(await lab.verify('sfb-online'))).toEqual([]);
    } finally {
      await lab.close();
    }
  });
});
