/**
 * The errors the simulated org raises, worded as Exchange words them. Each text notes where it comes from:
 * "documented" texts were found verbatim in Microsoft documentation or support threads; "inferred" ones
 * follow Exchange's phrasing for a case whose exact text could not be found.
 */
import type { CmdletName, EmsErrorRecord } from '../../core/ems';

/** A cmdlet failure, thrown inside a handler and turned into an `{ok:false}` result by the dispatcher. */
export class CmdletError extends Error {
  constructor(readonly record: EmsErrorRecord) {
    super(record.message);
    this.name = 'CmdletError';
  }
}

const TASK_NAMESPACE: Record<CmdletName, string> = {
  'New-MailUser': 'RecipientTasks',
  'Get-MailUser': 'RecipientTasks',
  'Set-MailUser': 'RecipientTasks',
  'New-ManagementRole': 'RbacTasks',
  'Get-ManagementRole': 'RbacTasks',
  'Get-ManagementRoleEntry': 'RbacTasks',
  'Remove-ManagementRoleEntry': 'RbacTasks',
  'New-ManagementRoleAssignment': 'RbacTasks',
  'Get-ManagementRoleAssignment': 'RbacTasks',
  'New-PartnerApplication': 'SystemConfigurationTasks',
  'Get-PartnerApplication': 'SystemConfigurationTasks',
  'Set-PartnerApplication': 'SystemConfigurationTasks',
  'Remove-PartnerApplication': 'SystemConfigurationTasks',
  'New-AuthServer': 'SystemConfigurationTasks',
  'Get-AuthServer': 'SystemConfigurationTasks',
  'Get-AuthConfig': 'SystemConfigurationTasks',
  'Set-AuthConfig': 'SystemConfigurationTasks',
  'Get-ExchangeCertificate': 'SystemConfigurationTasks',
  'Export-ExchangeCertificate': 'SystemConfigurationTasks',
  'New-ExchangeCertificate': 'SystemConfigurationTasks',
  'Test-OAuthConnectivity': 'SystemConfigurationTasks',
  'Get-MailboxAutoReplyConfiguration': 'StoreTasks',
  'Get-IntraOrganizationConnector': 'SystemConfigurationTasks',
  'Get-ExchangeServer': 'SystemConfigurationTasks',
  'Get-OrganizationConfig': 'SystemConfigurationTasks',
  'Get-AcceptedDomain': 'SystemConfigurationTasks',
  'Set-AuthServer': 'SystemConfigurationTasks',
  'New-IntraOrganizationConnector': 'SystemConfigurationTasks',
  'Set-IntraOrganizationConnector': 'SystemConfigurationTasks',
  'New-SettingOverride': 'SystemConfigurationTasks',
  'Get-SettingOverride': 'SystemConfigurationTasks',
  'Remove-SettingOverride': 'SystemConfigurationTasks',
  'Get-ExchangeDiagnosticInfo': 'SystemConfigurationTasks',
};

/** The task class Exchange names in FullyQualifiedErrorId, e.g. `Microsoft.Exchange.Management.RecipientTasks.NewMailUser`. */
export function taskClass(cmdlet: CmdletName): string {
  return `Microsoft.Exchange.Management.${TASK_NAMESPACE[cmdlet] ?? 'Tasks'}.${cmdlet.replace('-', '')}`;
}

/** A cmdlet name the session doesn't know (only reachable with an unchecked command). Documented (PowerShell). */
export function commandNotFound(cmdlet: string): CmdletError {
  return new CmdletError({
    message: `The term '${cmdlet}' is not recognized as the name of a cmdlet, function, script file, or operable program.`,
    category: 'ObjectNotFound',
    errorId: 'CommandNotFoundException',
  });
}

function exchangeError(
  cmdlet: CmdletName,
  exception: string,
  message: string,
  category = 'NotSpecified',
): CmdletError {
  return new CmdletError({ message, category, errorId: `${exception},${taskClass(cmdlet)}` });
}

/** A new object's name collides with an existing one in the same container. Documented. */
export function nameInUse(cmdlet: CmdletName, name: string): CmdletError {
  return exchangeError(
    cmdlet,
    'ADObjectAlreadyExistsException',
    `The name "${name}" is already being used. Please try another name.`,
  );
}

/** An identity resolves to nothing; `dc` is the -DomainController given, else the org's first DC. Documented. */
export function objectNotFound(cmdlet: CmdletName, identity: string, dc: string): CmdletError {
  return exchangeError(
    cmdlet,
    'ManagementObjectNotFoundException',
    `The operation couldn't be performed because object '${identity}' couldn't be found on '${dc}'.`,
  );
}

/** -DomainController names a server that doesn't answer. Documented (Exchange's ADServerNotAvailable text). */
export function domainControllerUnavailable(cmdlet: CmdletName, dc: string): CmdletError {
  return exchangeError(
    cmdlet,
    'ADServerNotAvailableException',
    `Active directory server ${dc} is not available. Error message: Active directory response: The LDAP server is unavailable.`,
  );
}

/** PowerShell's own binder error for a parameter the cmdlet doesn't have. Documented (PowerShell). */
export function parameterNotFound(cmdlet: CmdletName, parameter: string): CmdletError {
  return new CmdletError({
    message: `A parameter cannot be found that matches parameter name '${parameter}'.`,
    category: 'InvalidArgument',
    errorId: `NamedParameterNotFound,${cmdlet}`,
  });
}

/** PowerShell's binder error for a missing mandatory parameter in a non-interactive session. Documented (PowerShell). */
export function missingMandatoryParameter(cmdlet: CmdletName, parameter: string): CmdletError {
  return new CmdletError({
    message: `Cannot process command because of one or more missing mandatory parameters: ${parameter}.`,
    category: 'InvalidArgument',
    errorId: `MissingMandatoryParameter,${cmdlet}`,
  });
}

/** A generated or given alias makes a primary SMTP address another recipient already has. Documented. */
export function proxyAddressInUse(cmdlet: CmdletName, address: string, owner: string): CmdletError {
  return exchangeError(
    cmdlet,
    'ProxyAddressExistsException',
    `The proxy address "SMTP:${address}" is already being used by the proxy addresses or LegacyExchangeDN of "${owner}". Please choose another proxy address.`,
  );
}

/** Two partner applications may not share ApplicationIdentifier and Realm. Inferred. */
export function duplicatePartnerApplication(
  cmdlet: CmdletName,
  applicationIdentifier: string,
  realm: string,
  existing: string,
): CmdletError {
  return exchangeError(
    cmdlet,
    'PartnerApplicationAlreadyExistsException',
    `A partner application with ApplicationIdentifier "${applicationIdentifier}" and Realm "${realm}" already exists: "${existing}".`,
  );
}

/** The same role is already assigned to the same user. Inferred. */
export function duplicateRoleAssignment(
  cmdlet: CmdletName,
  role: string,
  user: string,
  existing: string,
): CmdletError {
  return exchangeError(
    cmdlet,
    'RoleAssignmentAlreadyExistsException',
    `The role "${role}" is already assigned to "${user}" by the role assignment "${existing}".`,
  );
}

/** Exchange refuses to edit built-in roles (documented behaviour: "you can't remove role entries from built-in management roles"); wording inferred. */
export function builtInRoleEntry(cmdlet: CmdletName, role: string, entry: string): CmdletError {
  return exchangeError(
    cmdlet,
    'InvalidOperationException',
    `The role entry "${role}\\${entry}" can't be removed because "${role}" is a built-in management role. You can't remove role entries from built-in management roles.`,
    'InvalidOperation',
  );
}

/** A certificate thumbprint that isn't in the server's store. Inferred. */
export function certificateNotFound(cmdlet: CmdletName, thumbprint: string): CmdletError {
  return exchangeError(
    cmdlet,
    'ArgumentException',
    `The certificate with thumbprint ${thumbprint} was not found.`,
    'InvalidArgument',
  );
}

/** A precondition Exchange checks, with a message specific to the cmdlet. Inferred wording. */
export function invalidOperation(cmdlet: CmdletName, message: string): CmdletError {
  return exchangeError(cmdlet, 'InvalidOperationException', message, 'InvalidOperation');
}

/** A parameter value Exchange can't use (bad date, bad address). Inferred wording. */
export function invalidArgument(cmdlet: CmdletName, message: string): CmdletError {
  return exchangeError(cmdlet, 'ArgumentException', message, 'InvalidArgument');
}

/**
 * A certificate that isn't in the named server's store, as Get-ExchangeCertificate -Server reports it (the
 * "Maintain the Exchange Server OAuth certificate" article quotes it; MonitorExchangeAuthCertificate keys on its
 * InvalidOperationException). Documented.
 */
export function certificateNotOnServer(cmdlet: CmdletName, server: string, thumbprint: string): CmdletError {
  return exchangeError(
    cmdlet,
    'InvalidOperationException',
    `A special Rpc error occurs on server ${server}: The certificate with thumbprint ${thumbprint} was not found.`,
  );
}

/** A server marked offline: its RPC endpoint doesn't answer. Wording inferred (Windows' RPC text). */
export function serverUnavailable(cmdlet: CmdletName, server: string): CmdletError {
  return exchangeError(
    cmdlet,
    'RpcServerUnavailableException',
    `A special Rpc error occurs on server ${server}: The RPC server is unavailable.`,
  );
}

/** A -DomainName value that isn't a domain name. Inferred. */
export function invalidDomainName(cmdlet: CmdletName, value: string): CmdletError {
  return invalidArgument(cmdlet, `The domain name "${value}" isn't valid.`);
}

/** A setting override for a component and section Exchange doesn't know. Inferred. */
export function unknownOverrideSection(cmdlet: CmdletName, component: string, section: string): CmdletError {
  return invalidArgument(cmdlet, `The section "${section}" isn't valid for the component "${component}".`);
}

/** A setting override parameter that isn't `Name=Value`, or that the section doesn't have. Inferred. */
export function invalidOverrideParameter(cmdlet: CmdletName, entry: string, section: string): CmdletError {
  return invalidArgument(cmdlet, `The parameter "${entry}" isn't valid for the section "${section}".`);
}

/** A diagnostic process that doesn't run on the server (the topology service isn't on Edge). Inferred. */
export function processNotRunning(cmdlet: CmdletName, process: string, server: string): CmdletError {
  return invalidOperation(cmdlet, `The process "${process}" isn't running on server ${server}.`);
}
