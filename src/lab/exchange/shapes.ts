/** Output objects with Exchange's property names and JSON-normalized values (ISO dates, base64 bytes). */
import type {
  AuthServer,
  ExchangeCertificate,
  ExchangeServer,
  LabState,
  MailUser,
  ManagementRole,
  PartnerApplication,
  RoleAssignment,
  SettingOverride,
} from '../state';
import { type OutputObject, primarySmtpAddress, userExists } from './context';
import { canonicalIdentity, sameName } from './names';

type Org = LabState['org'];
type AutoReply = Org['autoReplyConfigurations'][number];
type Connector = Org['intraOrganizationConnectors'][number];

/** Get-MailUser / New-MailUser output. */
export function mailUserOutput(user: MailUser, domain: string): OutputObject {
  return {
    Name: user.name,
    Alias: user.alias,
    Identity: canonicalIdentity(user.name, domain),
    Guid: user.guid,
    DistinguishedName: user.distinguishedName,
    ExternalEmailAddress: `SMTP:${user.externalEmailAddress}`,
    PrimarySmtpAddress: primarySmtpAddress(user, domain),
    HiddenFromAddressListsEnabled: user.hiddenFromAddressListsEnabled,
    RecipientTypeDetails: 'MailUser',
    WhenCreated: user.whenCreated,
  };
}

/** The root role a role descends from; a child role keeps its root's RoleType. */
function rootOf(role: ManagementRole, roles: readonly ManagementRole[]): ManagementRole {
  let current = role;
  const seen = new Set<string>();
  while (current.parent !== null && !seen.has(current.name.toLowerCase())) {
    seen.add(current.name.toLowerCase());
    const parentName = current.parent;
    const parent = roles.find((r) => sameName(r.name, parentName));
    if (!parent) break;
    current = parent;
  }
  return current;
}

/** Get-ManagementRole / New-ManagementRole output. */
export function roleOutput(role: ManagementRole, roles: readonly ManagementRole[]): OutputObject {
  return {
    Name: role.name,
    Identity: role.name,
    Parent: role.parent,
    IsRootRole: role.parent === null,
    RoleType: rootOf(role, roles).name,
    BuiltIn: role.builtIn,
  };
}

/** Get-ManagementRoleEntry output. */
export function roleEntryOutput(role: ManagementRole, entry: string): OutputObject {
  return { Name: entry, Identity: `${role.name}\\${entry}`, Role: role.name, Parameters: [] };
}

/** Get-ManagementRoleAssignment / New-ManagementRoleAssignment output. */
export function roleAssignmentOutput(assignment: RoleAssignment): OutputObject {
  return {
    Name: assignment.name,
    Identity: assignment.name,
    Role: assignment.role,
    RoleAssigneeName: assignment.user,
    RoleAssigneeType: 'User',
    Enabled: assignment.enabled,
  };
}

/** Get-PartnerApplication / New-PartnerApplication output; a link to a deleted user reads as null. */
export function partnerApplicationOutput(app: PartnerApplication, state: LabState): OutputObject {
  const linked =
    app.linkedAccount !== null && userExists(state, app.linkedAccount)
      ? canonicalIdentity(app.linkedAccount, state.org.domain)
      : null;
  return {
    Name: app.name,
    Identity: app.name,
    ApplicationIdentifier: app.applicationIdentifier,
    Realm: app.realm,
    Enabled: app.enabled,
    LinkedAccount: linked,
    AuthMetadataUrl: app.authMetadataUrl,
    UseAuthServer: app.useAuthServer,
    AcceptSecurityIdentifierInformation: app.acceptSecurityIdentifierInformation,
  };
}

/** Get-AuthServer / New-AuthServer output. */
export function authServerOutput(server: AuthServer): OutputObject {
  return {
    Name: server.name,
    Identity: server.name,
    Type: server.type,
    AuthMetadataUrl: server.authMetadataUrl,
    IssuerIdentifier: server.issuerIdentifier,
    Realm: server.realm,
    Enabled: server.enabled,
    ApplicationIdentifier: server.applicationIdentifier,
    DomainName: [...server.domainName],
  };
}

/** Get-AuthConfig output. */
export function authConfigOutput(org: Org): OutputObject {
  const config = org.authConfig;
  return {
    CurrentCertificateThumbprint: config.currentCertificateThumbprint,
    PreviousCertificateThumbprint: config.previousCertificateThumbprint,
    NextCertificateThumbprint: config.nextCertificateThumbprint,
    NextCertificateEffectiveDate: config.nextCertificateEffectiveDate,
    ServiceName: config.serviceName,
    Realm: config.realm,
  };
}

/** Get-ExchangeCertificate / New-ExchangeCertificate output; Status reflects the clock. */
export function certificateOutput(cert: ExchangeCertificate, org: Org, now: Date): OutputObject {
  const valid = Date.parse(cert.notBefore) <= now.getTime() && now.getTime() <= Date.parse(cert.notAfter);
  return {
    Thumbprint: cert.thumbprint,
    Subject: cert.subject,
    Issuer: cert.subject,
    FriendlyName: cert.friendlyName,
    NotBefore: cert.notBefore,
    NotAfter: cert.notAfter,
    Services: cert.services.join(', '),
    Status: valid ? 'Valid' : 'DateInvalid',
    IsSelfSigned: true,
    HasPrivateKey: cert.thumbprint in org.certificatePrivateKeys,
  };
}

/** Get-IntraOrganizationConnector output. */
export function connectorOutput(connector: Connector): OutputObject {
  return {
    Name: connector.name,
    Identity: connector.name,
    Enabled: connector.enabled,
    DiscoveryEndpoint: connector.discoveryEndpoint,
    TargetAddressDomains: [...connector.targetAddressDomains],
  };
}

/** Get-MailboxAutoReplyConfiguration output. */
export function autoReplyOutput(config: AutoReply): OutputObject {
  return {
    Identity: config.identity,
    AutoReplyState: config.autoReplyState,
    InternalMessage: config.internalMessage,
    ExternalMessage: config.externalMessage,
  };
}

/** The DC= part of a DN for the org's AD domain. */
function domainComponents(domain: string): string {
  return domain
    .split('.')
    .map((label) => `DC=${label}`)
    .join(',');
}

/** Get-ExchangeServer output: AdminDisplayVersion names the CU only (ExSetup's file version is not shown). */
export function exchangeServerOutput(server: ExchangeServer, domain: string): OutputObject {
  const mailbox = server.role === 'Mailbox';
  return {
    Name: server.name,
    Identity: server.name,
    Fqdn: server.fqdn,
    ServerRole: server.role,
    Site: `${domain}/Configuration/Sites/${server.site}`,
    Edition: server.edition,
    AdminDisplayVersion: server.adminDisplayVersion,
    IsMailboxServer: mailbox,
    IsClientAccessServer: mailbox,
    IsEdgeServer: !mailbox,
  };
}

/** Get-OrganizationConfig output (the properties hybridops reads). */
export function organizationConfigOutput(org: Org): OutputObject {
  return {
    Name: org.organizationName,
    Identity: org.organizationName,
    Guid: org.organizationGuid,
    DistinguishedName: `CN=${org.organizationName},CN=Microsoft Exchange,CN=Services,CN=Configuration,${domainComponents(org.domain)}`,
  };
}

/** Get-AcceptedDomain output. */
export function acceptedDomainOutput(domain: Org['acceptedDomains'][number]): OutputObject {
  return {
    Name: domain.name,
    Identity: domain.name,
    DomainName: domain.domainName,
    DomainType: domain.domainType,
    Default: domain.default,
  };
}

/** Get-SettingOverride / New-SettingOverride output, as the AD view shows it. */
export function settingOverrideOutput(override: SettingOverride, org: Org): OutputObject {
  return {
    Name: override.name,
    Identity: override.name,
    ComponentName: override.componentName,
    SectionName: override.sectionName,
    Parameters: [...override.parameters],
    Reason: override.reason,
    Server: override.server === null ? null : [...override.server],
    MinVersion: null,
    MaxVersion: null,
    WhenCreated: override.whenCreated,
    WhenChanged: override.whenChanged,
    DistinguishedName: `CN=${override.name},CN=Setting Overrides,CN=Global Settings,CN=${org.organizationName},CN=Microsoft Exchange,CN=Services,CN=Configuration,${domainComponents(org.domain)}`,
  };
}
