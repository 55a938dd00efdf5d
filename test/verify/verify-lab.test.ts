import { APP_IDS } from '../../src/runbooks/app-ids';
import {
  addRoleEntry,
  disablePartnerApplication,
  removeAuthServers,
  removeKeys,
  renewCertificateExceptOn,
  uploadToSharedExchangePrincipal,
} from './faults';
import { failing, openVerifiedLab, type VerifiedLab } from './lab';

describe('verify on a lab org with the Teams integration in place', () => {
  let lab: VerifiedLab;
  beforeEach(async () => {
    lab = await openVerifiedLab();
    lab.batchesSinceLastCall();
  });
  afterEach(() => lab.close());

  it('passes every check and reads all service principals in one $batch', async () => {
    const report = await lab.verify();
    expect(failing(report)).toEqual([]);
    expect(lab.batchesSinceLastCall()).toBe(1);
    expect(report.checks.map((check) => check.id)).toEqual(
      expect.arrayContaining([
        'auth-certificate',
        'sp-key-db7de2b5',
        'oauth-connectivity',
        'voicemail-greeting',
      ]),
    );
  });

  it('fails the expiry check 30 days before the certificate expires and points at the rotation', async () => {
    await lab.advanceDays(1825 - 30);
    const check = await lab.check('auth-certificate-expiry');
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/expires on .* \(in 30 days\) and no next certificate is staged/);
    expect(check.fixRunbook).toBe('rotate-auth-cert');
  });

  it('fails once the certificate has expired, together with the OAuth test', async () => {
    await lab.advanceDays(1826);
    const report = await lab.verify();
    expect(failing(report)).toEqual(
      expect.arrayContaining(['auth-certificate-expiry', 'oauth-connectivity']),
    );
  });

  it('names the one service principal a renewed certificate never reached', async () => {
    await renewCertificateExceptOn(lab.session, [APP_IDS.cloudVoicemail, APP_IDS.skypeForBusinessOnline]);
    const report = await lab.verify();
    expect(failing(report)).toEqual(expect.arrayContaining(['sp-key-7557eb47', 'upload-teamsscheduler']));
    expect(failing(report)).not.toContain('sp-key-db7de2b5');
    const check = report.checks.find((candidate) => candidate.id === 'sp-key-7557eb47');
    expect(check?.detail).toMatch(/No key with the current thumbprint/);
    expect(check?.fix).toMatch(/^PATCH \/v1\.0\/servicePrincipals\/.* \(keyCredentials of 7557eb47/);
  });

  it('fails the key and greeting checks when a key is removed, and passes again after the runbook re-uploads it', async () => {
    removeKeys(lab.session, APP_IDS.cloudVoicemail);
    expect(failing(await lab.verify())).toEqual(
      expect.arrayContaining(['sp-key-db7de2b5', 'upload-cloudvoicemail', 'voicemail-greeting']),
    );
    await lab.apply('teams');
    expect(failing(await lab.verify())).toEqual([]);
  });

  it('fails the partner application check with the Set-PartnerApplication that fixes it', async () => {
    await disablePartnerApplication(lab.session, 'TeamsScheduler');
    const check = await lab.check('partner-teamsscheduler');
    expect(check.ok).toBe(false);
    expect(check.fix).toBe(
      "Set-PartnerApplication -Identity 'TeamsScheduler' -Enabled $true -DomainController 'dc01.contoso.com'",
    );
    await lab.apply('teams');
    expect((await lab.check('partner-teamsscheduler')).ok).toBe(true);
  });

  it('fails the greeting check when CloudVoicemail is disabled', async () => {
    await disablePartnerApplication(lab.session, 'CloudVoicemail');
    const check = await lab.check('voicemail-greeting');
    expect(check.detail).toMatch(/partner application CloudVoicemail is disabled/);
  });

  it('fails the role check when the role holds an extra entry, and names the entry to remove', async () => {
    addRoleEntry(lab.session, 'TeamsSchedulerRole', 'AddDelegate');
    const check = await lab.check('role-entries');
    expect(check.ok).toBe(false);
    expect(check.fix).toBe(
      "Remove-ManagementRoleEntry -Identity 'TeamsSchedulerRole\\AddDelegate' -Confirm:$false -DomainController 'dc01.contoso.com'",
    );
    await lab.apply('teams');
    expect((await lab.check('role-entries')).ok).toBe(true);
  });

  it('says exactly which part of the Exchange Online OAuth prerequisite is missing', async () => {
    removeAuthServers(lab.session);
    const report = await lab.verify();
    const check = report.checks.find((candidate) => candidate.id === 'exchange-online-oauth');
    expect(check?.detail).toBe(
      'Missing: an enabled EvoSts (AzureAD) or ACS (MicrosoftACS) auth server. Configure OAuth between Exchange and Exchange Online first.',
    );
    expect(check?.fix).toMatch(
      /^New-AuthServer -Name 'EvoSts - .*' -AuthMetadataUrl 'https:\/\/login\.windows\.net\/contoso\.com\//,
    );
    expect(failing(report)).toContain('oauth-connectivity');
  });

  it('fails a key whose dates differ from the certificate and counts down to its own end date', async () => {
    const sp = lab.session.state.tenant.servicePrincipals.find(
      (candidate) => candidate.appId === APP_IDS.teamsScheduler,
    );
    const key = sp?.keyCredentials[0];
    if (!key) throw new Error('no key on the Teams scheduler service principal');
    key.endDateTime = '2027-01-01T00:00:00Z';
    const report = await lab.verify();
    const check = report.checks.find((candidate) => candidate.id === 'sp-key-7557eb47');
    expect(check?.detail).toMatch(/does not match the certificate's dates/);
    expect(report.expiries.map((item) => [item.kind, item.at])).toEqual(
      expect.arrayContaining([['servicePrincipalKey', '2027-01-01T00:00:00Z']]),
    );
  });

  it('flags an Exchange certificate left on the shared Exchange Online service principal', async () => {
    await uploadToSharedExchangePrincipal(lab.session);
    const check = await lab.check('exchange-online-sp-no-onprem-key');
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/dedicated Exchange hybrid application/);
    expect(check.fixRunbook).toBe('shared-sp-cleanup');
  });
});
