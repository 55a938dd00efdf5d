/** The typed form of one Exchange Management Shell command: what the engine plans, the relay carries and the agent runs. */

/** Every cmdlet hybridops may render or run. Nothing outside this list is ever executed. */
export const CMDLET_NAMES = [
  'New-MailUser',
  'Get-MailUser',
  'Set-MailUser',
  'New-ManagementRole',
  'Get-ManagementRole',
  'Get-ManagementRoleEntry',
  'Remove-ManagementRoleEntry',
  'New-ManagementRoleAssignment',
  'Get-ManagementRoleAssignment',
  'New-PartnerApplication',
  'Get-PartnerApplication',
  'Set-PartnerApplication',
  'Remove-PartnerApplication',
  'New-AuthServer',
  'Get-AuthServer',
  'Get-AuthConfig',
  'Set-AuthConfig',
  'Get-ExchangeCertificate',
  'Export-ExchangeCertificate',
  'New-ExchangeCertificate',
  'Test-OAuthConnectivity',
  'Get-MailboxAutoReplyConfiguration',
  'Get-IntraOrganizationConnector',
  'Get-ExchangeServer',
  'Get-OrganizationConfig',
  'Get-AcceptedDomain',
  'Set-AuthServer',
  'New-IntraOrganizationConnector',
  'Set-IntraOrganizationConnector',
  'New-SettingOverride',
  'Get-SettingOverride',
  'Remove-SettingOverride',
  'Get-ExchangeDiagnosticInfo',
] as const;

export type CmdletName = (typeof CMDLET_NAMES)[number];

/**
 * A parameter value. Strings render as single-quoted literals, booleans as `$true`/`$false`
 * (or as a bare switch when the cmdlet declares the parameter a switch), numbers as integers,
 * string arrays as comma-separated literals. Dates travel as ISO-8601 strings.
 */
export type ParamValue = string | boolean | number | readonly string[];

/** One command: a cmdlet and its named parameters, in the order they are rendered. JSON-safe. */
export interface EmsCommand {
  readonly cmdlet: CmdletName;
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** A PowerShell error record, as much of it as an admin needs to act. */
export interface EmsErrorRecord {
  /** The exception message, exactly as Exchange words it. */
  readonly message: string;
  /** PowerShell's ErrorCategory, e.g. `InvalidArgument`, `NotSpecified`, `ObjectNotFound`. */
  readonly category: string;
  /** FullyQualifiedErrorId-like stable id, e.g. `NameAlreadyInUse,Microsoft.Exchange…NewMailUser`. */
  readonly errorId: string;
}

/** What running one command produced: its output objects, and the error when it failed. */
export type EmsResult =
  | { readonly ok: true; readonly output: readonly Record<string, unknown>[] }
  | {
      readonly ok: false;
      readonly output: readonly Record<string, unknown>[];
      readonly error: EmsErrorRecord;
    };
