import type { CmdletName, EmsCommand } from '../../src/core/ems';

const dc = { DomainController: 'dc01.contoso.com' };

/** One realistic command per allowlisted cmdlet, exercising every parameter kind at least once. */
export const SAMPLE_COMMANDS: Readonly<Record<CmdletName, EmsCommand>> = {
  'New-MailUser': {
    cmdlet: 'New-MailUser',
    params: {
      Name: 'TeamsScheduler',
      ApplicationAccount: true,
      ExternalEmailAddress: 'TeamsScheduler-ApplicationAccount@contoso.com',
      ...dc,
    },
  },
  'Get-MailUser': { cmdlet: 'Get-MailUser', params: { Identity: 'TeamsScheduler', ...dc } },
  'Set-MailUser': {
    cmdlet: 'Set-MailUser',
    params: { Identity: 'TeamsScheduler', HiddenFromAddressListsEnabled: true, ...dc },
  },
  'New-ManagementRole': {
    cmdlet: 'New-ManagementRole',
    params: { Name: 'TeamsSchedulerRole', Parent: 'UserApplication', ...dc },
  },
  'Get-ManagementRole': { cmdlet: 'Get-ManagementRole', params: { Identity: 'TeamsSchedulerRole', ...dc } },
  'Get-ManagementRoleEntry': {
    cmdlet: 'Get-ManagementRoleEntry',
    params: { Identity: 'TeamsSchedulerRole\\*', ...dc },
  },
  'Remove-ManagementRoleEntry': {
    cmdlet: 'Remove-ManagementRoleEntry',
    params: { Identity: 'TeamsSchedulerRole\\GetUser', Confirm: false, ...dc },
  },
  'New-ManagementRoleAssignment': {
    cmdlet: 'New-ManagementRoleAssignment',
    params: { Role: 'TeamsSchedulerRole', User: 'TeamsScheduler', ...dc },
  },
  'Get-ManagementRoleAssignment': {
    cmdlet: 'Get-ManagementRoleAssignment',
    params: { Role: 'TeamsSchedulerRole', RoleAssignee: 'TeamsScheduler', ...dc },
  },
  'New-PartnerApplication': {
    cmdlet: 'New-PartnerApplication',
    params: {
      Name: 'TeamsScheduler',
      ApplicationIdentifier: '7557eb47-c689-4224-abcf-aef9bd7573df',
      Enabled: true,
      LinkedAccount: 'contoso.com/Users/TeamsScheduler',
      ...dc,
    },
  },
  'Get-PartnerApplication': { cmdlet: 'Get-PartnerApplication', params: { ...dc } },
  'Set-PartnerApplication': {
    cmdlet: 'Set-PartnerApplication',
    params: { Identity: 'SfBOnline', Enabled: false, LinkedAccount: 'SfBOnline-ApplicationAccount', ...dc },
  },
  'Remove-PartnerApplication': {
    cmdlet: 'Remove-PartnerApplication',
    params: { Identity: 'SfBOnline', Confirm: false, ...dc },
  },
  'New-AuthServer': {
    cmdlet: 'New-AuthServer',
    params: {
      Name: 'WindowsAzureACS',
      AuthMetadataUrl: 'https://accounts.accesscontrol.windows.net/contoso.com/metadata/json/1',
      ...dc,
    },
  },
  'Get-AuthServer': { cmdlet: 'Get-AuthServer', params: { Identity: 'WindowsAzureACS' } },
  'Get-AuthConfig': { cmdlet: 'Get-AuthConfig', params: { ...dc } },
  'Set-AuthConfig': {
    cmdlet: 'Set-AuthConfig',
    params: {
      NewCertificateThumbprint: 'DB821B4FCA2A5DA9593B9DE00C86BC5EA35D0FC0',
      NewCertificateEffectiveDate: '2025-03-01T00:00:00Z',
      Force: true,
      ...dc,
    },
  },
  'Get-ExchangeCertificate': {
    cmdlet: 'Get-ExchangeCertificate',
    params: { Thumbprint: 'DB821B4FCA2A5DA9593B9DE00C86BC5EA35D0FC0', Server: 'EX01' },
  },
  'Export-ExchangeCertificate': {
    cmdlet: 'Export-ExchangeCertificate',
    params: { Thumbprint: 'DB821B4FCA2A5DA9593B9DE00C86BC5EA35D0FC0', BinaryEncoded: true, Server: 'EX01' },
  },
  'New-ExchangeCertificate': {
    cmdlet: 'New-ExchangeCertificate',
    params: {
      KeySize: 2048,
      PrivateKeyExportable: true,
      SubjectName: 'cn=Microsoft Exchange Server Auth Certificate',
      FriendlyName: 'Microsoft Exchange Server Auth Certificate',
      DomainName: [],
      Services: 'SMTP',
      Server: 'EX01',
    },
  },
  'Test-OAuthConnectivity': {
    cmdlet: 'Test-OAuthConnectivity',
    params: { Service: 'EWS', TargetUri: 'https://mail.contoso.com/ews/', Mailbox: 'Gurinder Singh' },
  },
  'Get-MailboxAutoReplyConfiguration': {
    cmdlet: 'Get-MailboxAutoReplyConfiguration',
    params: { Identity: 'adele@contoso.com' },
  },
  'Get-IntraOrganizationConnector': { cmdlet: 'Get-IntraOrganizationConnector', params: { ...dc } },
  'Get-ExchangeServer': { cmdlet: 'Get-ExchangeServer', params: { Identity: 'EX01', ...dc } },
  'Get-OrganizationConfig': { cmdlet: 'Get-OrganizationConfig', params: { ...dc } },
  'Get-AcceptedDomain': { cmdlet: 'Get-AcceptedDomain', params: {} },
  'Set-AuthServer': {
    cmdlet: 'Set-AuthServer',
    params: {
      Identity: 'EvoSts - 3c8a5e1f-5b1d-4a7e-9f6e-2f1b6c0d9e8a',
      ApplicationIdentifier: '6a4f0c3e-8d2b-4b6a-9c1e-5f7d3a2b1c0e',
      DomainName: ['contoso.mail.onmicrosoft.com', 'contoso.com'],
      ...dc,
    },
  },
  'New-IntraOrganizationConnector': {
    cmdlet: 'New-IntraOrganizationConnector',
    params: {
      Name: 'ExchangeHybridOnPremisesToOnline',
      DiscoveryEndpoint: 'https://outlook.office365.com/autodiscover/autodiscover.svc',
      TargetAddressDomains: ['contoso.mail.onmicrosoft.com'],
      Enabled: true,
      ...dc,
    },
  },
  'Set-IntraOrganizationConnector': {
    cmdlet: 'Set-IntraOrganizationConnector',
    params: { Identity: 'ExchangeHybridOnPremisesToOnline', Enabled: true, ...dc },
  },
  'New-SettingOverride': {
    cmdlet: 'New-SettingOverride',
    params: {
      Name: 'EnableExchangeHybrid3PAppFeature',
      Component: 'Global',
      Section: 'ExchangeOnpremAsThirdPartyAppId',
      Parameters: ['Enabled=true'],
      Reason: 'Created by hybridops on 2026-11-21',
      ...dc,
    },
  },
  'Get-SettingOverride': { cmdlet: 'Get-SettingOverride', params: { ...dc } },
  'Remove-SettingOverride': {
    cmdlet: 'Remove-SettingOverride',
    params: { Identity: 'EnableExchangeHybrid3PAppFeature', Confirm: false, ...dc },
  },
  'Get-ExchangeDiagnosticInfo': {
    cmdlet: 'Get-ExchangeDiagnosticInfo',
    params: {
      Server: 'EX01',
      Process: 'Microsoft.Exchange.Directory.TopologyService',
      Component: 'VariantConfiguration',
      Argument: 'Refresh',
    },
  },
};

/** Extra commands covering the forms the per-cmdlet samples do not: lists, switches set both ways, dates. */
export const EXTRA_SAMPLES: readonly EmsCommand[] = [
  {
    cmdlet: 'New-ExchangeCertificate',
    params: { DomainName: ['mail.contoso.com', 'autodiscover.contoso.com'], KeySize: 4096, Force: false },
  },
  { cmdlet: 'New-ExchangeCertificate', params: { DomainName: ['mail.contoso.com'] } },
  { cmdlet: 'Set-AuthConfig', params: { PublishCertificate: true, Confirm: false } },
  { cmdlet: 'Set-AuthConfig', params: { ClearPreviousCertificate: true } },
  {
    cmdlet: 'New-PartnerApplication',
    params: { Name: 'CloudVoicemail', AuthMetadataUrl: 'https://x/y', Enabled: true },
  },
  { cmdlet: 'Get-MailUser', params: {} },
  {
    cmdlet: 'New-AuthServer',
    params: {
      Name: 'evoSTS',
      Type: 'AzureAD',
      AuthMetadataUrl:
        'https://login.windows.net/contoso.mail.onmicrosoft.com/federationmetadata/2007-06/federationmetadata.xml',
      DomainName: ['contoso.mail.onmicrosoft.com'],
      Enabled: true,
    },
  },
  { cmdlet: 'Set-AuthServer', params: { Identity: 'ACS', RefreshAuthMetadata: true } },
  { cmdlet: 'Set-AuthServer', params: { Identity: 'evoSTS', ApplicationIdentifier: '', DomainName: [] } },
  {
    cmdlet: 'Test-OAuthConnectivity',
    params: {
      Service: 'EWS',
      TargetUri: 'https://outlook.office365.com/ews/exchange.asmx',
      AppOnly: true,
      ReloadConfig: true,
    },
  },
  {
    cmdlet: 'New-SettingOverride',
    params: {
      Name: 'EnableExchangeHybrid3PAppFeature',
      Component: 'Global',
      Section: 'ExchangeOnpremAsThirdPartyAppId',
      Parameters: ['Enabled=true'],
      Reason: "Created by hybridops, O'Brien approving",
      Server: ['EX01', 'EX02'],
    },
  },
  {
    cmdlet: 'New-MailUser',
    params: { Name: "O'Brien – ‘Ops’", ExternalEmailAddress: 'ob@contoso.com', Alias: '' },
  },
];

/** Every sample, per-cmdlet ones first. */
export const ALL_SAMPLES: readonly EmsCommand[] = [...Object.values(SAMPLE_COMMANDS), ...EXTRA_SAMPLES];
