/** The parameter spec of every allowlisted cmdlet: the single source for validation, rendering and parsing. */
import type { CmdletName } from '../core/ems';
import { HYBRID_CMDLET_SPECS } from './cmdlets-hybrid';
import {
  bool,
  type CmdletSpec,
  date,
  dc,
  int,
  oneOf,
  optionalOneOf,
  type ParamSpec,
  reqStr,
  str,
  strs,
  sw,
} from './param-spec';

export type { CmdletSpec, ParamKind, ParamSpec } from './param-spec';

/** The spec table, one entry per name in CMDLET_NAMES. */
export const CMDLET_SPECS: Readonly<Record<CmdletName, CmdletSpec>> = {
  'New-MailUser': {
    mutates: true,
    positional: 'Name',
    // ApplicationAccount is the switch the Teams integration article uses for the TeamsScheduler account.
    params: { Name: reqStr, ExternalEmailAddress: reqStr, ApplicationAccount: sw, Alias: str, ...dc },
  },
  'Get-MailUser': { mutates: false, positional: 'Identity', params: { Identity: str, ...dc } },
  'Set-MailUser': {
    mutates: true,
    positional: 'Identity',
    params: { Identity: reqStr, HiddenFromAddressListsEnabled: bool, ...dc },
  },
  'New-ManagementRole': {
    mutates: true,
    positional: 'Name',
    // Parent is optional in Exchange only with -UnScopedTopLevel, which hybridops never creates.
    params: { Name: reqStr, Parent: reqStr, ...dc },
  },
  'Get-ManagementRole': { mutates: false, positional: 'Identity', params: { Identity: str, ...dc } },
  'Get-ManagementRoleEntry': { mutates: false, positional: 'Identity', params: { Identity: reqStr, ...dc } },
  'Remove-ManagementRoleEntry': {
    mutates: true,
    positional: 'Identity',
    params: { Identity: reqStr, Confirm: sw, ...dc },
  },
  'New-ManagementRoleAssignment': {
    mutates: true,
    positional: 'Name',
    // Only the User parameter set: the integration assigns roles to the application account's mail user.
    params: { Name: str, Role: reqStr, User: reqStr, ...dc },
  },
  'Get-ManagementRoleAssignment': {
    mutates: false,
    positional: 'Identity',
    params: { Identity: str, Role: str, RoleAssignee: str, ...dc },
  },
  'New-PartnerApplication': {
    mutates: true,
    positional: 'Name',
    params: {
      Name: reqStr,
      ApplicationIdentifier: str,
      AuthMetadataUrl: str,
      Enabled: bool,
      LinkedAccount: str,
      Realm: str,
      ...dc,
    },
    // ApplicationIdentifier and AuthMetadataUrl select the ACSTrustApplication / AuthMetadataUrl parameter sets.
    exactlyOneOf: ['ApplicationIdentifier', 'AuthMetadataUrl'],
  },
  'Get-PartnerApplication': { mutates: false, positional: 'Identity', params: { Identity: str, ...dc } },
  'Set-PartnerApplication': {
    mutates: true,
    positional: 'Identity',
    params: { Identity: reqStr, Enabled: bool, LinkedAccount: str, ...dc },
  },
  'Remove-PartnerApplication': {
    mutates: true,
    positional: 'Identity',
    params: { Identity: reqStr, Confirm: sw, ...dc },
  },
  'New-AuthServer': {
    mutates: true,
    positional: 'Name',
    params: {
      Name: reqStr,
      AuthMetadataUrl: reqStr,
      Type: optionalOneOf('ADFS', 'AzureAD', 'Facebook', 'LinkedIn', 'MicrosoftACS'),
      // Exchange 2016 CU18 / 2019 CU7 and later.
      DomainName: strs,
      Enabled: bool,
      TrustAnySSLCertificate: sw,
      ...dc,
    },
  },
  'Get-AuthServer': { mutates: false, positional: 'Identity', params: { Identity: str, ...dc } },
  'Get-AuthConfig': { mutates: false, params: { ...dc } },
  'Set-AuthConfig': {
    mutates: true,
    params: {
      NewCertificateThumbprint: str,
      NewCertificateEffectiveDate: date,
      PublishCertificate: sw,
      ClearPreviousCertificate: sw,
      Force: sw,
      Confirm: sw,
      ...dc,
    },
    // The reference's sets with a parameter used here (CurrentCertificateParameter's -CertificateThumbprint and
    // AuthConfigSettings' -Realm and -ServiceName are not); DomainController belongs to all of them.
    parameterSets: {
      NewCertificateParameter: ['NewCertificateThumbprint', 'NewCertificateEffectiveDate', 'Force'],
      PublishAuthCertificateParameter: ['PublishCertificate', 'ClearPreviousCertificate', 'Force'],
    },
  },
  'Get-ExchangeCertificate': {
    mutates: false,
    positional: 'Thumbprint',
    params: { Thumbprint: str, Server: str, ...dc },
  },
  'Export-ExchangeCertificate': {
    // Without -FileName the certificate comes back as output and nothing on the server changes.
    mutates: false,
    positional: 'Thumbprint',
    params: { Thumbprint: reqStr, BinaryEncoded: sw, Server: str, ...dc },
  },
  'New-ExchangeCertificate': {
    mutates: true,
    params: {
      KeySize: int,
      PrivateKeyExportable: bool,
      SubjectName: str,
      FriendlyName: str,
      // The auth-certificate renewal passes `-DomainName @()` so no server names land in the SAN field.
      DomainName: strs,
      Services: str,
      Server: str,
      // Enabling a new certificate for SMTP prompts to replace the default one; Force answers it.
      Force: sw,
      ...dc,
    },
  },
  'Test-OAuthConnectivity': {
    mutates: false,
    params: {
      Service: oneOf('EWS', 'AutoD', 'Generic'),
      TargetUri: reqStr,
      Mailbox: str,
      AppOnly: sw,
      ReloadConfig: sw,
      UseCachedToken: sw,
    },
  },
  'Get-MailboxAutoReplyConfiguration': {
    mutates: false,
    positional: 'Identity',
    params: { Identity: reqStr, ...dc },
  },
  'Get-IntraOrganizationConnector': {
    mutates: false,
    positional: 'Identity',
    params: { Identity: str, ...dc },
  },
  ...HYBRID_CMDLET_SPECS,
};

/** The parameter spec of `cmdlet`'s parameter `name` (exact spelling), or undefined when it has none. */
export function paramSpec(cmdlet: CmdletName, name: string): ParamSpec | undefined {
  const params = CMDLET_SPECS[cmdlet].params;
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

/** The canonical spelling of `cmdlet`'s parameter written `name` in any letter case, or undefined. */
export function canonicalParamName(cmdlet: CmdletName, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.keys(CMDLET_SPECS[cmdlet].params).find((known) => known.toLowerCase() === wanted);
}
