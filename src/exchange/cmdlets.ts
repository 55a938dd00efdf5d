/** The parameter spec of every allowlisted cmdlet: the single source for validation, rendering and parsing. */
import type { CmdletName } from '../core/ems';

/**
 * How a parameter's value is typed and rendered:
 * - `string`: a single-quoted literal;
 * - `bool`: a [Boolean] parameter, rendered `-Enabled $true`;
 * - `switch`: a [SwitchParameter], rendered `-Force` when true and `-Confirm:$false` when false;
 * - `int`: a non-negative decimal integer;
 * - `datetime`: an ISO-8601 string, rendered as a single-quoted literal PowerShell converts to [DateTime];
 * - `strings`: a multi-valued property, rendered `'a','b'` (or `@()` when empty).
 */
export type ParamKind = 'string' | 'bool' | 'switch' | 'int' | 'datetime' | 'strings';

/** One named parameter of a cmdlet. */
export interface ParamSpec {
  readonly kind: ParamKind;
  readonly required: boolean;
}

/** What hybridops knows about one cmdlet. Parameter names are spelled as the Exchange reference spells them. */
export interface CmdletSpec {
  /** True when running the cmdlet changes the organization, so it needs an approval before it runs. */
  readonly mutates: boolean;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** The parameter a bare first argument binds to (`Get-ManagementRoleEntry 'Role\*'`), as Exchange declares it. */
  readonly positional?: string;
  /** Parameters that pick the parameter set: exactly one of them must be given. */
  readonly exactlyOneOf?: readonly string[];
}

const str: ParamSpec = { kind: 'string', required: false };
const reqStr: ParamSpec = { kind: 'string', required: true };
const bool: ParamSpec = { kind: 'bool', required: false };
const sw: ParamSpec = { kind: 'switch', required: false };
const int: ParamSpec = { kind: 'int', required: false };
const date: ParamSpec = { kind: 'datetime', required: false };
const strs: ParamSpec = { kind: 'strings', required: false };

// Every Exchange cmdlet here takes -DomainController except Test-OAuthConnectivity; pinning one DC keeps a
// create-then-read sequence consistent before AD replication catches up.
const dc = { DomainController: str } as const;

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
    params: { Name: reqStr, AuthMetadataUrl: reqStr, Type: str, ...dc },
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
    params: { Service: reqStr, TargetUri: reqStr, Mailbox: str },
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
