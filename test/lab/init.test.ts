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
