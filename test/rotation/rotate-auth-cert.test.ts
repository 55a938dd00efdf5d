import { planRunbook } from '../../src/engine/planner';
import { getRunbook } from '../../src/runbooks';
import { APP_IDS } from '../../src/runbooks/app-ids';
import { DAY_MS, failing, openVerifiedLab, type VerifiedLab } from '../verify/lab';

const USED = [APP_IDS.cloudVoicemail, APP_IDS.teamsScheduler, APP_IDS.skypeForBusinessOnline];

function thumbprints(lab: VerifiedLab, appId: string): string[] {
  const sp = lab.session.state.tenant.servicePrincipals.find((candidate) => candidate.appId === appId);
  return (sp?.keyCredentials ?? []).map((key) => key.customKeyIdentifier ?? '');
}

/** The keys on the dedicated Exchange hybrid application (`ExchangeServerApp-<organization GUID>`). */
function hybridAppThumbprints(lab: VerifiedLab): string[] {
  const name = `ExchangeServerApp-${lab.session.state.org.organizationGuid}`;
  const app = lab.session.state.tenant.applications.find((candidate) => candidate.displayName === name);
  return (app?.keyCredentials ?? []).map((key) => key.customKeyIdentifier ?? '');
}

/** How many times the lab's Exchange ran each mutating command, and Graph received each write, since `from`. */
function writes(lab: VerifiedLab, fromCommand: number, fromRequest: number): string[] {
  const commands = lab.session.state.org.commandLog
    .slice(fromCommand)
    .filter((entry) => entry.mutating)
    .map((entry) => entry.cmdlet);
  const requests = lab.session.state.tenant.requestLog
    .slice(fromRequest)
    .filter((entry) => entry.method !== 'GET' && entry.path !== '/v1.0/$batch')
    .map((entry) => `${entry.method} ${entry.path.replace(/[0-9a-f-]{36}/g, '{id}')}`);
  return [...commands, ...requests];
}

describe('the rotate-auth-cert runbook in the lab', () => {
  let lab: VerifiedLab;
  let original: string;
  beforeAll(async () => {
    // End to end: Test-OAuthConnectivity gets its token as the dedicated hybrid application, with its keys.
    lab = await openVerifiedLab();
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
      'upload-hybrid-app': 'update',
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
    expect(plan.steps[5]?.command.split('\n')[0]).toMatch(
      /^PATCH \/v1\.0\/applications\/[^ ]+ \{"keyCredentials":\[.*"key":\$newCertificateFile\.FileData\}\]\}$/,
    );
    expect(plan.steps[1]?.article?.url).toBe(
      'https://learn.microsoft.com/exchange/plan-and-deploy/integration-with-sharepoint-and-skype/maintain-oauth-certificate',
    );
  });

  it('stages the new certificate 30 days ahead and puts its key next to the old one on every service principal and the hybrid application', async () => {
    const commands = lab.session.state.org.commandLog.length;
    const requests = lab.session.state.tenant.requestLog.length;
    await lab.apply('rotate-auth-cert');
    // Each mutating cmdlet and Graph write once; nothing is published or cleared by hand.
    expect(writes(lab, commands, requests).sort()).toEqual(
      [
        'New-ExchangeCertificate',
        'Set-AuthConfig',
        'PATCH /v1.0/servicePrincipals/{id}',
        'PATCH /v1.0/servicePrincipals/{id}',
        'PATCH /v1.0/servicePrincipals/{id}',
        'PATCH /v1.0/applications/{id}',
      ].sort(),
    );
    const config = lab.session.state.org.authConfig;
    expect(config.currentCertificateThumbprint).toBe(original);
    const next = config.nextCertificateThumbprint ?? '';
    expect(next).not.toBe('');
    // MonitorExchangeAuthCertificate.ps1's margin: 30 days when the current certificate has 32 or more left.
    expect(Date.parse(config.nextCertificateEffectiveDate ?? '') - lab.clock.now().getTime()).toBe(
      30 * DAY_MS,
    );
    for (const appId of USED) expect(thumbprints(lab, appId).sort()).toEqual([original, next].sort());
    expect(hybridAppThumbprints(lab).sort()).toEqual([original, next].sort());
    expect(thumbprints(lab, APP_IDS.exchangeOnline)).toEqual([]);
    expect(failing(await lab.verify('teams'))).toEqual([]);
  });

  it('leaves publishing to the AuthAdmin servicelet, and verify is green end to end once it has run', async () => {
    const next = lab.session.state.org.authConfig.nextCertificateThumbprint;
    await lab.advanceDays(29);
    expect((await lab.check('auth-certificate-next')).ok).toBe(true);
    const { plan } = await planRunbook(getRunbook('rotate-auth-cert'), lab.inputs, lab.deps);
    expect(plan.steps.find((step) => step.id === 'publish-auth-certificate')?.detail).toMatch(
      /AuthAdmin servicelet publishes it/,
    );
    // Past the effective date (12:00) and the servicelet's 18:00 run.
    await lab.advanceDays(1.3);
    expect(failing(await lab.verify('teams'))).toEqual([]);
    const config = lab.session.state.org.authConfig;
    expect(config.currentCertificateThumbprint).toBe(next);
    expect(config.previousCertificateThumbprint).toBe(original);
    expect(failing(await lab.verify('rotate-auth-cert'))).toEqual([]);
    expect((await lab.check('oauth-connectivity')).detail).not.toMatch(/AADSTS/);
  });

  it('clears the previous certificate and removes its key once it has expired', async () => {
    await lab.advanceDays(40);
    for (const appId of USED) expect(thumbprints(lab, appId)).toContain(original);
    expect(hybridAppThumbprints(lab)).toContain(original);
    await lab.apply('rotate-auth-cert');
    expect(lab.session.state.org.authConfig.previousCertificateThumbprint).toBeNull();
    for (const appId of USED)
      expect(thumbprints(lab, appId)).toEqual([
        lab.session.state.org.authConfig.currentCertificateThumbprint,
      ]);
    expect(hybridAppThumbprints(lab)).toEqual([
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
    const lab = await openVerifiedLab({}, 'sfb-online');
    try {
      await lab.advanceDays(1825 - 30);
      const { plan } = await planRunbook(getRunbook('rotate-auth-cert'), lab.inputs, lab.deps);
      const uploads = plan.steps.filter((step) => step.id.startsWith('upload-'));
      expect(uploads.map((step) => [step.id, step.change])).toEqual([
        ['upload-cloudvoicemail', 'none'],
        ['upload-teamsscheduler', 'none'],
        ['upload-sfbonline', 'update'],
        ['upload-hybrid-app', 'update'],
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

describe('the rotate-auth-cert runbook once the certificate has already expired', () => {
  it('publishes the new certificate at once and clears the expired one, after its key reached Entra', async () => {
    const lab = await openVerifiedLab();
    try {
      const original = lab.session.state.org.authConfig.currentCertificateThumbprint;
      await lab.advanceDays(1825 + 3);
      expect((await lab.check('oauth-connectivity')).ok).toBe(false);
      const { plan } = await planRunbook(getRunbook('rotate-auth-cert'), lab.inputs, lab.deps);
      const byId = Object.fromEntries(plan.steps.map((step) => [step.id, step]));
      expect(byId['stage-auth-certificate']?.command).toMatch(
        /^Set-AuthConfig -NewCertificateThumbprint \$newCertificate\.Thumbprint -NewCertificateEffectiveDate '[^']+' -Force -DomainController 'dc01\.contoso\.com'$/,
      );
      expect(byId['publish-auth-certificate']?.command).toBe(
        "Set-AuthConfig -PublishCertificate -DomainController 'dc01.contoso.com'",
      );
      expect(byId['publish-auth-certificate']?.warnings.join(' ')).toMatch(
        /Restart-Service -Name 'MSExchangeServiceHost'; Restart-WebAppPool -Name 'MSExchangeOWAAppPool'/,
      );
      expect(byId['publish-auth-certificate']?.article?.url).toBe(
        'https://learn.microsoft.com/exchange/troubleshoot/administration/cannot-access-owa-or-ecp-if-oauth-expired',
      );
      expect(byId['clear-previous-auth-certificate']?.command).toBe(
        "Set-AuthConfig -ClearPreviousCertificate -DomainController 'dc01.contoso.com'",
      );
      const commands = lab.session.state.org.commandLog.length;
      const requests = lab.session.state.tenant.requestLog.length;
      await lab.apply('rotate-auth-cert');
      expect(writes(lab, commands, requests).sort()).toEqual(
        [
          'New-ExchangeCertificate',
          'Set-AuthConfig',
          'Set-AuthConfig',
          'Set-AuthConfig',
          'PATCH /v1.0/servicePrincipals/{id}',
          'PATCH /v1.0/servicePrincipals/{id}',
          'PATCH /v1.0/servicePrincipals/{id}',
          'PATCH /v1.0/applications/{id}',
        ].sort(),
      );
      const config = lab.session.state.org.authConfig;
      expect(config.currentCertificateThumbprint).not.toBe(original);
      expect(config.nextCertificateThumbprint).toBeNull();
      expect(config.previousCertificateThumbprint).toBeNull();
      // The expired key went with the upload; the new one is on every holder.
      for (const appId of USED)
        expect(thumbprints(lab, appId)).toEqual([config.currentCertificateThumbprint]);
      expect(hybridAppThumbprints(lab)).toEqual([config.currentCertificateThumbprint]);
      expect(failing(await lab.verify('teams'))).toEqual([]);
      const again = await planRunbook(getRunbook('rotate-auth-cert'), lab.inputs, lab.deps);
      expect(again.plan.steps.filter((step) => step.change !== 'none')).toEqual([]);
    } finally {
      await lab.close();
    }
  });
});
