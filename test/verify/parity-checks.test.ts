import { APP_IDS } from '../../src/runbooks/app-ids';
import { hybridAppId, renewCertificateExceptOn } from './faults';
import { openVerifiedLab, type VerifiedLab } from './lab';

const PARITY = [
  'auth-certificate-servers',
  'hybrid-app-override',
  'hybrid-app-auth-server',
  'hybrid-app-keys',
  'hybrid-app-permission',
];

function hybridApp(lab: VerifiedLab) {
  const appId = hybridAppId(lab.session);
  const app = lab.session.state.tenant.applications.find((candidate) => candidate.appId === appId);
  if (!app) throw new Error('no hybrid application');
  return app;
}

describe('verify checks what MonitorExchangeAuthCertificate and HealthChecker check', () => {
  let lab: VerifiedLab;
  beforeEach(async () => {
    lab = await openVerifiedLab({
      servers: [{ name: 'EX01' }, { name: 'EX02', site: 'Branch' }, { name: 'EDGE01', role: 'Edge' }],
    });
  });
  afterEach(() => lab.close());

  it('passes on an org with the dedicated hybrid application, and `cert` shows its keys and every server', async () => {
    const report = await lab.verify();
    for (const id of PARITY) expect(report.checks.find((check) => check.id === id)?.ok).toBe(true);
    expect(report.hybridApp).toMatchObject({ appId: hybridAppId(lab.session), permissionGranted: true });
    // Edge servers don't hold the auth certificate; MonitorExchangeAuthCertificate skips them too.
    expect(report.serverCertificates.map((entry) => [entry.server, entry.which, entry.state])).toEqual([
      ['EX01', 'current', 'present'],
      ['EX02', 'current', 'present'],
    ]);
  });

  it('names the server in another AD site that misses a renewed certificate, with the export and import that fix it', async () => {
    const renewed = await renewCertificateExceptOn(lab.session, [
      APP_IDS.cloudVoicemail,
      APP_IDS.teamsScheduler,
      APP_IDS.skypeForBusinessOnline,
    ]);
    const check = await lab.check('auth-certificate-servers');
    expect(check.ok).toBe(false);
    expect(check.detail).toBe(`current certificate ${renewed} is missing on EX02.`);
    expect(check.fix.split('\n')).toEqual([
      `$pfx = Export-ExchangeCertificate -Server 'EX01' -Thumbprint '${renewed}' -BinaryEncoded -Password (Read-Host 'PFX password' -AsSecureString)`,
      "Import-ExchangeCertificate -Server 'EX02' -FileData $pfx.FileData -Password (Read-Host 'PFX password' -AsSecureString) -PrivateKeyExportable $true",
    ]);
  });

  it('says a server could not be asked rather than that it lacks the certificate', async () => {
    const ex02 = lab.session.state.org.servers.find((server) => server.name === 'EX02');
    if (ex02) ex02.online = false;
    const check = await lab.check('auth-certificate-servers');
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/^1 server\(s\) were unreachable \(EX02\)/);
  });

  it('fails without the setting override, and gives the commands that create it', async () => {
    lab.session.state.org.settingOverrides = [];
    const check = await lab.check('hybrid-app-override');
    expect(check.ok).toBe(false);
    expect(check.fix.split('\n')[0]).toBe(
      "New-SettingOverride -Name 'EnableExchangeHybrid3PAppFeature' -Component 'Global' -Section 'ExchangeOnpremAsThirdPartyAppId' -Parameters 'Enabled=true' -Reason 'Dedicated Exchange hybrid application'",
    );
  });

  it("fails when the AzureAD auth server doesn't name the application, with the Set-AuthServer that links it", async () => {
    for (const server of lab.session.state.org.authServers) server.applicationIdentifier = null;
    const check = await lab.check('hybrid-app-auth-server');
    expect(check.ok).toBe(false);
    expect(check.fix).toMatch(
      new RegExp(
        `^Set-AuthServer -Identity '[^']+' -ApplicationIdentifier '${hybridAppId(lab.session)}' -DomainName `,
      ),
    );
    expect((await lab.check('oauth-connectivity')).ok).toBe(false);
  });

  it('fails when the application lost its key, and rotate-auth-cert puts it back', async () => {
    hybridApp(lab).keyCredentials = [];
    const check = await lab.check('hybrid-app-keys');
    expect(check).toMatchObject({ ok: false, fixRunbook: 'rotate-auth-cert' });
    expect((await lab.check('oauth-connectivity')).ok).toBe(false);
    await lab.apply('rotate-auth-cert');
    expect((await lab.check('hybrid-app-keys')).ok).toBe(true);
    expect((await lab.check('oauth-connectivity')).ok).toBe(true);
  });

  it('fails without admin consent for full_access_as_app, with the grant that fixes it', async () => {
    lab.session.state.tenant.appRoleAssignments = [];
    const check = await lab.check('hybrid-app-permission');
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/^Requested and not granted \(no admin consent\)/);
    expect(check.fix).toMatch(/^POST \/v1\.0\/servicePrincipals\/[^/]+\/appRoleAssignments \{"principalId":/);
  });
});

describe('verify reads the dedicated hybrid application in its one Graph $batch', () => {
  let lab: VerifiedLab;
  beforeEach(async () => {
    lab = await openVerifiedLab();
    lab.graphRequestsSinceLastCall();
  });
  afterEach(() => lab.close());

  const principalOf = (appId: string) => {
    const sp = lab.session.state.tenant.servicePrincipals.find((candidate) => candidate.appId === appId);
    if (!sp) throw new Error('no service principal of the hybrid application');
    return sp;
  };

  it('sends one Graph request and finds full_access_as_app granted', async () => {
    const report = await lab.verify();
    expect(lab.graphRequestsSinceLastCall()).toEqual(['POST /v1.0/$batch']);
    expect(report.checks.find((check) => check.id === 'hybrid-app-permission')).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^Requested and granted/),
    });
    expect(report.hybridApp).toMatchObject({ appId: hybridAppId(lab.session), permissionGranted: true });
  });

  it('sends one Graph request and says when admin consent is missing', async () => {
    lab.session.state.tenant.appRoleAssignments = [];
    const check = await lab.check('hybrid-app-permission');
    expect(lab.graphRequestsSinceLastCall()).toEqual(['POST /v1.0/$batch']);
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/^Requested and not granted \(no admin consent\)/);
    const principalId = principalOf(hybridAppId(lab.session) ?? '').id;
    expect(check.fix).toMatch(
      new RegExp(`^POST /v1\\.0/servicePrincipals/${principalId}/appRoleAssignments `),
    );
  });

  it('sends one Graph request and says when the application is gone', async () => {
    const name = hybridApp(lab).displayName;
    lab.session.state.tenant.applications = lab.session.state.tenant.applications.filter(
      (app) => app.displayName !== name,
    );
    const report = await lab.verify();
    expect(lab.graphRequestsSinceLastCall()).toEqual(['POST /v1.0/$batch']);
    expect(report.checks.find((check) => check.id === 'hybrid-app-keys')).toMatchObject({
      ok: false,
      detail: `No application ${name} exists.`,
    });
    expect(report.hybridApp).toBeNull();
  });

  it('sends one Graph request and refuses to pick one of two applications with the name', async () => {
    const app = hybridApp(lab);
    lab.session.state.tenant.applications.push({
      ...structuredClone(app),
      id: '99999999-0000-4000-8000-000000000001',
      appId: '99999999-0000-4000-8000-000000000002',
    });
    const check = await lab.check('hybrid-app');
    expect(lab.graphRequestsSinceLastCall()).toEqual(['POST /v1.0/$batch']);
    expect(check).toMatchObject({
      ok: false,
      detail: `The dedicated hybrid application could not be read: 2 applications are named ${app.displayName} (appIds ${app.appId}, 99999999-0000-4000-8000-000000000002); keep one and delete the others.`,
    });
  });

  it('still finds the grant of a service principal renamed away from its application, at the cost of two more requests', async () => {
    const appId = hybridAppId(lab.session) ?? '';
    const sp = principalOf(appId);
    sp.displayName = 'Exchange hybrid (renamed)';
    expect((await lab.check('hybrid-app-permission')).ok).toBe(true);
    expect(lab.graphRequestsSinceLastCall()).toEqual([
      'POST /v1.0/$batch',
      `GET /v1.0/servicePrincipals(appId='${appId}')`,
      `GET /v1.0/servicePrincipals/${sp.id}/appRoleAssignments`,
    ]);
  });

  it('lists every grant when Graph expanded 20 and full_access_as_app was not among them', async () => {
    const sp = principalOf(hybridAppId(lab.session) ?? '');
    const tenant = lab.session.state.tenant;
    const others = Array.from({ length: 20 }, (_, n) => ({
      id: `other-grant-${n}`,
      principalId: sp.id,
      resourceId: tenant.appRoleAssignments[0]?.resourceId ?? '',
      appRoleId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      createdDateTime: '2026-11-21T12:00:00Z',
    }));
    tenant.appRoleAssignments = [...others, ...tenant.appRoleAssignments];
    expect((await lab.check('hybrid-app-permission')).ok).toBe(true);
    expect(lab.graphRequestsSinceLastCall()).toEqual([
      'POST /v1.0/$batch',
      `GET /v1.0/servicePrincipals/${sp.id}/appRoleAssignments`,
    ]);
  });
});

describe('verify on an org still on the shared principal', () => {
  it('advises the dedicated hybrid application without failing on it', async () => {
    const lab = await openVerifiedLab({
      dedicatedApp: false,
      sharedPrincipalKey: true,
      oauthTestScope: 'on-premises',
    });
    try {
      const report = await lab.verify();
      expect(report.checks.filter((check) => check.id.startsWith('hybrid-app'))).toEqual([
        expect.objectContaining({
          id: 'hybrid-app',
          ok: true,
          detail: expect.stringMatching(/See plan dedicated-hybrid-app/),
        }),
      ]);
      expect(report.hybridApp).toBeNull();
    } finally {
      await lab.close();
    }
  });
});
