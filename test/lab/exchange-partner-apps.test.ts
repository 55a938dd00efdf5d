import { errorOf, harness, outputOf, TENANT_ID } from './support';

const SFB_APP_ID = '00000004-0000-0ff1-ce00-000000000000';

async function withAccount() {
  const lab = await harness();
  outputOf(
    await lab.run('New-MailUser', {
      Name: 'SfBOnline-ApplicationAccount',
      ExternalEmailAddress: 'SfBOnline-ApplicationAccount@contoso.com',
    }),
  );
  return lab;
}

describe('partner applications', () => {
  it('creates a partner application linked to the account and shows the link as a canonical identity', async () => {
    const lab = await withAccount();
    const [app] = outputOf(
      await lab.run('New-PartnerApplication', {
        Name: 'SfBOnline',
        ApplicationIdentifier: SFB_APP_ID,
        Enabled: true,
        LinkedAccount: 'contoso.com/Users/SfBOnline-ApplicationAccount',
      }),
    );
    expect(app).toMatchObject({
      Name: 'SfBOnline',
      ApplicationIdentifier: SFB_APP_ID,
      Realm: '',
      Enabled: true,
      LinkedAccount: 'contoso.com/Users/SfBOnline-ApplicationAccount',
      AuthMetadataUrl: null,
      UseAuthServer: true,
    });
    expect(outputOf(await lab.run('Get-PartnerApplication', { Identity: 'SfBOnline' }))).toEqual([app]);
  });

  it('reports a linked account that does not exist as not found and creates nothing', async () => {
    const lab = await harness();
    const error = errorOf(
      await lab.run('New-PartnerApplication', {
        Name: 'TeamsScheduler',
        ApplicationIdentifier: '7557eb47-c689-4224-abcf-aef9bd7573df',
        LinkedAccount: 'contoso.com/Users/TeamsScheduler',
      }),
    );
    expect(error.message).toBe(
      "The operation couldn't be performed because object 'contoso.com/Users/TeamsScheduler' couldn't be found on 'dc01.contoso.com'.",
    );
    expect(lab.state.org.partnerApplications.map((a) => a.name)).toEqual(['Exchange Online']);
  });

  it('refuses a second application with the same identifier and realm', async () => {
    const lab = await withAccount();
    await lab.run('New-PartnerApplication', { Name: 'SfBOnline', ApplicationIdentifier: SFB_APP_ID });
    const error = errorOf(
      await lab.run('New-PartnerApplication', { Name: 'SfBOnline2', ApplicationIdentifier: SFB_APP_ID }),
    );
    expect(error.message).toBe(
      `A partner application with ApplicationIdentifier "${SFB_APP_ID}" and Realm "" already exists: "SfBOnline".`,
    );
  });

  it('refuses a second application with the same name', async () => {
    const lab = await harness();
    await lab.run('New-PartnerApplication', {
      Name: 'TeamsScheduler',
      ApplicationIdentifier: '7557eb47-c689-4224-abcf-aef9bd7573df',
    });
    const error = errorOf(
      await lab.run('New-PartnerApplication', {
        Name: 'TeamsScheduler',
        ApplicationIdentifier: 'db7de2b5-2149-435e-8043-e080dd50afae',
      }),
    );
    expect(error.message).toBe('The name "TeamsScheduler" is already being used. Please try another name.');
  });

  it('enables, disables and removes an application by name', async () => {
    const lab = await harness({ hybridOAuth: false });
    outputOf(await lab.run('Set-PartnerApplication', { Identity: 'Exchange Online', Enabled: true }));
    expect(
      outputOf(await lab.run('Get-PartnerApplication', { Identity: 'Exchange Online' }))[0]?.Enabled,
    ).toBe(true);
    outputOf(await lab.run('Remove-PartnerApplication', { Identity: 'Exchange Online', Confirm: false }));
    expect(outputOf(await lab.run('Get-PartnerApplication'))).toEqual([]);
    expect(
      errorOf(await lab.run('Get-PartnerApplication', { Identity: 'Exchange Online' })).message,
    ).toContain("object 'Exchange Online' couldn't be found");
  });

  it('shows a link to a deleted user as empty, as Active Directory cleans such links up', async () => {
    const lab = await withAccount();
    await lab.run('New-PartnerApplication', {
      Name: 'SfBOnline',
      ApplicationIdentifier: SFB_APP_ID,
      LinkedAccount: 'SfBOnline-ApplicationAccount',
    });
    lab.state.org.mailUsers = [];
    expect(
      outputOf(await lab.run('Get-PartnerApplication', { Identity: 'SfBOnline' }))[0]?.LinkedAccount,
    ).toBeNull();
  });
});

describe('auth servers and connectors', () => {
  it('creates an ACS auth server whose realm comes from the tenant metadata', async () => {
    const lab = await harness({ hybridOAuth: false });
    const [server] = outputOf(
      await lab.run('New-AuthServer', {
        Name: 'WindowsAzureACS',
        AuthMetadataUrl: 'https://accounts.accesscontrol.windows.net/contoso.com/metadata/json/1',
      }),
    );
    expect(server).toMatchObject({ Type: 'MicrosoftACS', Realm: TENANT_ID, Enabled: true });
  });

  it('fails to read metadata for a domain the tenant does not own', async () => {
    const lab = await harness({ hybridOAuth: false });
    const error = errorOf(
      await lab.run('New-AuthServer', {
        Name: 'WindowsAzureACS',
        AuthMetadataUrl: 'https://accounts.accesscontrol.windows.net/contoso.cmo/metadata/json/1',
      }),
    );
    expect(error.message).toContain('(400) Bad Request');
    expect(lab.state.org.authServers).toEqual([]);
  });

  it('lists the auth servers and the intra-organization connector the wizard created', async () => {
    const lab = await harness();
    expect(outputOf(await lab.run('Get-AuthServer')).map((s) => s.Name)).toEqual([
      `EvoSts - ${TENANT_ID}`,
      `ACS - ${TENANT_ID}`,
    ]);
    expect(outputOf(await lab.run('Get-IntraOrganizationConnector'))).toEqual([
      {
        Name: `HybridIOC - ${TENANT_ID}`,
        Identity: `HybridIOC - ${TENANT_ID}`,
        Enabled: true,
        DiscoveryEndpoint: 'https://autodiscover-s.outlook.com/autodiscover/autodiscover.svc',
        TargetAddressDomains: ['contoso.mail.onmicrosoft.com'],
      },
    ]);
  });
});
