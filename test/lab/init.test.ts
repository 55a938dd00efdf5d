import { labStateSchema } from '../../src/lab/state';
import { freshState, TENANT_ID } from './support';

describe('a fresh lab org', () => {
  it('holds an auth certificate valid from a day ago for certDays, referenced by the auth config', async () => {
    const state = await freshState({ certDays: 30 });
    const [cert] = state.org.certificates;
    expect(state.org.certificates).toHaveLength(1);
    expect(cert?.notBefore).toBe('2025-02-28T12:00:00Z');
    expect(cert?.notAfter).toBe('2025-03-31T12:00:00Z');
    expect(cert?.services).toEqual(['SMTP']);
    expect(state.org.authConfig).toEqual({
      serviceName: '00000002-0000-0ff1-ce00-000000000000',
      realm: '',
      currentCertificateThumbprint: cert?.thumbprint,
      previousCertificateThumbprint: null,
      nextCertificateThumbprint: null,
      nextCertificateEffectiveDate: null,
    });
    expect(state.org.certificatePrivateKeys[cert?.thumbprint ?? '']).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('has the built-in application roles, UserApplication including GetDelegate among several entries', async () => {
    const state = await freshState();
    const userApp = state.org.managementRoles.find((r) => r.name === 'UserApplication');
    const archiveApp = state.org.managementRoles.find((r) => r.name === 'ArchiveApplication');
    expect(userApp).toMatchObject({ parent: null, builtIn: true });
    expect(userApp?.entries).toContain('GetDelegate');
    expect(userApp?.entries.length).toBeGreaterThan(3);
    expect(archiveApp?.entries.length).toBeGreaterThan(1);
  });

  it('with hybrid OAuth has the evoSTS and ACS auth servers, the HybridIOC and an enabled Exchange Online app', async () => {
    const state = await freshState();
    expect(state.org.authServers).toEqual([
      expect.objectContaining({
        name: `EvoSts - ${TENANT_ID}`,
        type: 'AzureAD',
        authMetadataUrl:
          'https://login.windows.net/contoso.com/federationmetadata/2007-06/federationmetadata.xml',
        realm: TENANT_ID,
      }),
      expect.objectContaining({
        name: `ACS - ${TENANT_ID}`,
        type: 'MicrosoftACS',
        authMetadataUrl: `https://accounts.accesscontrol.windows.net/${TENANT_ID}/metadata/json/1`,
        realm: TENANT_ID,
      }),
    ]);
    expect(state.org.intraOrganizationConnectors).toEqual([
      {
        name: `HybridIOC - ${TENANT_ID}`,
        enabled: true,
        discoveryEndpoint: 'https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc',
        targetAddressDomains: ['contoso.mail.onmicrosoft.com'],
      },
    ]);
    expect(state.org.partnerApplications).toEqual([
      expect.objectContaining({
        name: 'Exchange Online',
        applicationIdentifier: '00000002-0000-0ff1-ce00-000000000000',
        realm: '',
        enabled: true,
      }),
    ]);
  });

  it('without hybrid OAuth has no auth servers or connector and a disabled Exchange Online app', async () => {
    const state = await freshState({ hybridOAuth: false });
    expect(state.org.authServers).toEqual([]);
    expect(state.org.intraOrganizationConnectors).toEqual([]);
    expect(state.org.partnerApplications[0]?.enabled).toBe(false);
  });

  it('contains none of the Teams or Skype integration objects the runbooks create', async () => {
    const state = await freshState();
    const names = state.org.partnerApplications.map((a) => a.name);
    expect(names).not.toEqual(expect.arrayContaining(['TeamsScheduler']));
    expect(state.org.mailUsers).toEqual([]);
    expect(state.org.managementRoles.every((r) => r.builtIn)).toBe(true);
  });

  it('has a tenant with the four first-party service principals and no keys', async () => {
    const state = await freshState({ domain: 'fabrikam.com' });
    expect(state.tenant.initialDomain).toBe('fabrikam.onmicrosoft.com');
    expect(state.org.domainControllers).toEqual(['dc01.fabrikam.com']);
    expect(state.tenant.servicePrincipals.map((sp) => sp.appId)).toEqual([
      '00000002-0000-0ff1-ce00-000000000000',
      '00000004-0000-0ff1-ce00-000000000000',
      '7557eb47-c689-4224-abcf-aef9bd7573df',
      'db7de2b5-2149-435e-8043-e080dd50afae',
    ]);
    for (const sp of state.tenant.servicePrincipals) {
      expect(sp.keyCredentials).toEqual([]);
      expect(sp.servicePrincipalNames).toContain(sp.appId);
      expect(sp.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(state.tenant.servicePrincipals[0]?.servicePrincipalNames).toContain(
      '00000002-0000-0ff1-ce00-000000000000/outlook.office365.com',
    );
  });

  it('has an Out of Office reply on the test mailbox and empty logs', async () => {
    const state = await freshState();
    expect(state.org.autoReplyConfigurations[0]).toMatchObject({
      identity: 'contoso.com/Users/Adele Vance',
      autoReplyState: 'Enabled',
    });
    expect(state.org.commandLog).toEqual([]);
    expect(state.tenant.requestLog).toEqual([]);
  });

  it('passes the schema the lab file loader enforces', async () => {
    const state = await freshState({ rejectsApplicationAccount: true, latencyMs: 25 });
    expect(labStateSchema.safeParse(state).success).toBe(true);
    expect(state.org.exchange).toMatchObject({ rejectsApplicationAccount: true, latencyMs: 25 });
  });
});

describe('a fresh lab org set up the way a test or a rehearsal needs', () => {
  it('has one Mailbox server EX01 on Exchange 2019 CU15 with the April 2025 HU, holding the auth certificate', async () => {
    const state = await freshState();
    expect(state.org.servers).toEqual([
      expect.objectContaining({
        name: 'EX01',
        fqdn: 'ex01.contoso.com',
        role: 'Mailbox',
        adminDisplayVersion: 'Version 15.2 (Build 1748.10)',
        exSetupVersion: '15.02.1748.024',
        certificates: [state.org.authConfig.currentCertificateThumbprint],
      }),
    ]);
    expect(state.org.localServer).toBe('EX01');
    expect(state.org.exchange.authAdminLastRunAt).toBe('2025-03-01T06:00:00Z');
  });

  it('puts the auth certificate on every Mailbox server and none on an Edge server', async () => {
    const state = await freshState({
      servers: [{ name: 'EX01' }, { name: 'EX02', build: '15.1.2507.55' }, { name: 'EDGE01', role: 'Edge' }],
    });
    expect(state.org.servers.map((server) => [server.name, server.certificates.length])).toEqual([
      ['EX01', 1],
      ['EX02', 1],
      ['EDGE01', 0],
    ]);
  });

  it("with the shared principal key has the certificate's key on Office 365 Exchange Online only", async () => {
    const state = await freshState({ sharedPrincipalKey: true });
    const [exchangeOnline, ...others] = state.tenant.servicePrincipals;
    expect(exchangeOnline?.keyCredentials).toEqual([
      expect.objectContaining({
        customKeyIdentifier: state.org.authConfig.currentCertificateThumbprint,
        type: 'AsymmetricX509Cert',
        usage: 'Verify',
        startDateTime: state.org.certificates[0]?.notBefore,
        endDateTime: state.org.certificates[0]?.notAfter,
      }),
    ]);
    expect(others.every((sp) => sp.keyCredentials.length === 0)).toBe(true);
    expect(state.tenant.applications).toEqual([]);
  });

  it('with the dedicated hybrid application has it deployed end to end', async () => {
    const state = await freshState({
      dedicatedApp: true,
      organizationGuid: '0b7b3c0e-4f6e-4d7a-9a51-3f2a1c9e8d70',
    });
    const [app] = state.tenant.applications;
    expect(app).toMatchObject({
      displayName: 'ExchangeServerApp-0b7b3c0e-4f6e-4d7a-9a51-3f2a1c9e8d70',
      signInAudience: 'AzureADMyOrg',
      requiredResourceAccess: [
        {
          resourceAppId: '00000002-0000-0ff1-ce00-000000000000',
          resourceAccess: [{ id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', type: 'Role' }],
        },
      ],
    });
    expect(app?.keyCredentials.map((key) => key.customKeyIdentifier)).toEqual([
      state.org.authConfig.currentCertificateThumbprint,
    ]);
    const principal = state.tenant.servicePrincipals.find((sp) => sp.appId === app?.appId);
    expect(principal?.tags).toEqual(['WindowsAzureActiveDirectoryIntegratedApp', 'HideApp']);
    expect(state.tenant.appRoleAssignments).toEqual([
      expect.objectContaining({
        principalId: principal?.id,
        resourceId: state.tenant.servicePrincipals[0]?.id,
        appRoleId: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
      }),
    ]);
    expect(state.org.authServers.find((s) => s.type === 'AzureAD')).toMatchObject({
      applicationIdentifier: app?.appId,
      domainName: ['contoso.mail.onmicrosoft.com', 'contoso.com'],
    });
    expect(
      state.org.settingOverrides.map((o) => [o.name, o.componentName, o.sectionName, o.parameters]),
    ).toEqual([
      ['EnableExchangeHybrid3PAppFeature', 'Global', 'ExchangeOnpremAsThirdPartyAppId', ['Enabled=true']],
    ]);
    expect(state.tenant.servicePrincipals[0]?.keyCredentials).toEqual([]);
  });

  it('refuses a dedicated application or a shared key without hybrid OAuth', async () => {
    await expect(freshState({ hybridOAuth: false, dedicatedApp: true })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
  });
});
