import { errorOf, harness, outputOf, TENANT_ID } from './support';

const EVOSTS = `EvoSts - ${TENANT_ID}`;
const APP_ID = '6a4f0c3e-8d2b-4b6a-9c1e-5f7d3a2b1c0e';
const OVERRIDE = {
  Name: 'EnableExchangeHybrid3PAppFeature',
  Component: 'Global',
  Section: 'ExchangeOnpremAsThirdPartyAppId',
  Parameters: ['Enabled=true'],
  Reason: 'Created by hybridops',
};

describe('Set-AuthServer', () => {
  it('links the dedicated hybrid application and the tenant domains to the evoSTS server', async () => {
    const lab = await harness();
    const domains = ['contoso.mail.onmicrosoft.com', 'contoso.com'];
    outputOf(
      await lab.run('Set-AuthServer', {
        Identity: EVOSTS,
        ApplicationIdentifier: APP_ID,
        DomainName: domains,
      }),
    );
    expect(outputOf(await lab.run('Get-AuthServer', { Identity: EVOSTS }))[0]).toMatchObject({
      Type: 'AzureAD',
      Realm: TENANT_ID,
      ApplicationIdentifier: APP_ID,
      DomainName: domains,
    });
    outputOf(
      await lab.run('Set-AuthServer', { Identity: EVOSTS, ApplicationIdentifier: '', DomainName: [] }),
    );
    expect(lab.state.org.authServers[0]).toMatchObject({ applicationIdentifier: null, domainName: [] });
  });

  it('has no -ApplicationIdentifier on a build before the April 2025 HU, as PowerShell says', async () => {
    const lab = await harness({ servers: [{ name: 'EX01', build: '15.2.1544.4' }] });
    const error = errorOf(
      await lab.run('Set-AuthServer', { Identity: EVOSTS, ApplicationIdentifier: APP_ID }),
    );
    expect(error).toMatchObject({
      message: "A parameter cannot be found that matches parameter name 'ApplicationIdentifier'.",
      category: 'InvalidArgument',
    });
    expect(lab.state.org.authServers[0]?.applicationIdentifier).toBeNull();
  });

  it('refuses a domain name that is not one, and changes nothing', async () => {
    const lab = await harness();
    const error = errorOf(
      await lab.run('Set-AuthServer', {
        Identity: EVOSTS,
        DomainName: ['contoso.com', 'not a domain'],
        Enabled: false,
      }),
    );
    expect(error.message).toBe('The domain name "not a domain" isn\'t valid.');
    expect(lab.state.org.authServers[0]).toMatchObject({
      enabled: true,
      domainName: ['contoso.mail.onmicrosoft.com'],
    });
  });

  it('reads the metadata again from a new URL, for the tenant only', async () => {
    const lab = await harness();
    const url =
      'https://login.windows.net/contoso.mail.onmicrosoft.com/federationmetadata/2007-06/federationmetadata.xml';
    outputOf(await lab.run('Set-AuthServer', { Identity: EVOSTS, AuthMetadataUrl: url }));
    expect(lab.state.org.authServers[0]?.authMetadataUrl).toBe(url);
    const foreign =
      'https://login.windows.net/fabrikam.com/federationmetadata/2007-06/federationmetadata.xml';
    expect(
      errorOf(await lab.run('Set-AuthServer', { Identity: EVOSTS, AuthMetadataUrl: foreign })).message,
    ).toBe(
      `Couldn't retrieve the authorization metadata from "${foreign}". The remote server returned an error: (400) Bad Request.`,
    );
  });
});

describe('New-AuthServer in a government cloud', () => {
  it('reads ACS and evoSTS metadata from login.microsoftonline.us for a GCC High tenant, and nothing from the commercial hosts', async () => {
    const lab = await harness({ cloud: 'USGovernmentL4', hybridOAuth: false });
    const acs = 'https://login.microsoftonline.us/contoso.mail.onmicrosoft.com/metadata/json/1';
    const evo =
      'https://login.microsoftonline.us/contoso.mail.onmicrosoft.com/federationmetadata/2007-06/federationmetadata.xml';
    expect(
      outputOf(await lab.run('New-AuthServer', { Name: 'WindowsAzureACS', AuthMetadataUrl: acs }))[0]?.Type,
    ).toBe('MicrosoftACS');
    const [evoSts] = outputOf(
      await lab.run('New-AuthServer', {
        Name: 'evoSTS',
        Type: 'AzureAD',
        AuthMetadataUrl: evo,
        DomainName: ['contoso.mail.onmicrosoft.com'],
      }),
    );
    expect(evoSts).toMatchObject({
      Type: 'AzureAD',
      Realm: TENANT_ID,
      DomainName: ['contoso.mail.onmicrosoft.com'],
    });
    const commercial =
      'https://accounts.accesscontrol.windows.net/contoso.mail.onmicrosoft.com/metadata/json/1';
    expect(
      errorOf(await lab.run('New-AuthServer', { Name: 'ACS2', AuthMetadataUrl: commercial })).message,
    ).toContain('(400) Bad Request');
  });
});

describe('intra-organization connectors', () => {
  it('creates the on-premises connector of the OAuth article and refuses its name twice', async () => {
    const lab = await harness({ hybridOAuth: false });
    const connector = {
      Name: 'ExchangeHybridOnPremisesToOnline',
      DiscoveryEndpoint: 'https://outlook.office365.com/autodiscover/autodiscover.svc',
      TargetAddressDomains: ['contoso.mail.onmicrosoft.com'],
    };
    expect(outputOf(await lab.run('New-IntraOrganizationConnector', connector))[0]).toMatchObject({
      Name: 'ExchangeHybridOnPremisesToOnline',
      Enabled: true,
      TargetAddressDomains: ['contoso.mail.onmicrosoft.com'],
    });
    expect(errorOf(await lab.run('New-IntraOrganizationConnector', connector)).message).toBe(
      'The name "ExchangeHybridOnPremisesToOnline" is already being used. Please try another name.',
    );
    outputOf(await lab.run('Set-IntraOrganizationConnector', { Identity: connector.Name, Enabled: false }));
    expect(
      outputOf(await lab.run('Get-IntraOrganizationConnector', { Identity: connector.Name }))[0]?.Enabled,
    ).toBe(false);
    expect(
      errorOf(
        await lab.run('Set-IntraOrganizationConnector', {
          Identity: connector.Name,
          DiscoveryEndpoint: 'autodiscover',
        }),
      ).message,
    ).toContain("Cannot bind parameter 'DiscoveryEndpoint'.");
  });
});

describe('setting overrides', () => {
  it('stores the dedicated app override in AD and shows it as Get-SettingOverride does', async () => {
    const lab = await harness();
    outputOf(await lab.run('New-SettingOverride', OVERRIDE));
    expect(outputOf(await lab.run('Get-SettingOverride'))).toEqual([
      expect.objectContaining({
        Name: 'EnableExchangeHybrid3PAppFeature',
        ComponentName: 'Global',
        SectionName: 'ExchangeOnpremAsThirdPartyAppId',
        Parameters: ['Enabled=true'],
        Server: null,
        DistinguishedName:
          'CN=EnableExchangeHybrid3PAppFeature,CN=Setting Overrides,CN=Global Settings,CN=contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=com',
      }),
    ]);
    expect(errorOf(await lab.run('New-SettingOverride', OVERRIDE)).message).toBe(
      'The name "EnableExchangeHybrid3PAppFeature" is already being used. Please try another name.',
    );
    outputOf(await lab.run('Remove-SettingOverride', { Identity: OVERRIDE.Name, Confirm: false }));
    expect(outputOf(await lab.run('Get-SettingOverride'))).toEqual([]);
    expect(errorOf(await lab.run('Remove-SettingOverride', { Identity: OVERRIDE.Name })).message).toContain(
      "object 'EnableExchangeHybrid3PAppFeature' couldn't be found",
    );
  });

  it('refuses parameters that are not Name=Value or that the section does not have', async () => {
    const lab = await harness();
    for (const Parameters of [['Enabled'], ['IMServerName=x']]) {
      expect(errorOf(await lab.run('New-SettingOverride', { ...OVERRIDE, Parameters })).message).toMatch(
        /^The parameter ".*" isn't valid for the section "ExchangeOnpremAsThirdPartyAppId"\.$/,
      );
    }
    expect(lab.state.org.settingOverrides).toEqual([]);
  });

  it('refreshes the topology service of a Mailbox server, and not of an Edge server', async () => {
    const lab = await harness({ servers: [{ name: 'EX01' }, { name: 'EDGE01', role: 'Edge' }] });
    const refresh = {
      Process: 'Microsoft.Exchange.Directory.TopologyService',
      Component: 'VariantConfiguration',
      Argument: 'Refresh',
    };
    expect(outputOf(await lab.run('Get-ExchangeDiagnosticInfo', refresh))[0]?.Result).toContain('<Refresh>');
    expect(lab.state.org.servers[0]?.overridesRefreshedAt).toBe('2025-03-01T12:00:00Z');
    expect(
      errorOf(await lab.run('Get-ExchangeDiagnosticInfo', { ...refresh, Server: 'EDGE01' })).message,
    ).toBe('The process "Microsoft.Exchange.Directory.TopologyService" isn\'t running on server EDGE01.');
    expect(lab.state.org.commandLog.map((entry) => entry.mutating)).toEqual([true, true]);
  });
});
