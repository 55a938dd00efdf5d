/** The simulated org's whole state: one JSON file (documented in docs/lab.md), validated on load. */
import { z } from 'zod/v4';
import { tenantSchema } from './state-tenant';
import { upgradeLabState } from './state-upgrade';

export type {
  Cloud,
  LabApplication,
  LabAppRole,
  LabAppRoleAssignment,
  LabKeyCredential,
  LabRequiredResourceAccess,
  LabServicePrincipal,
} from './state-tenant';

const isoDate = z.string().datetime({ offset: true });

export const mailUserSchema = z.object({
  name: z.string(),
  alias: z.string(),
  guid: z.string(),
  distinguishedName: z.string(),
  externalEmailAddress: z.string(),
  applicationAccount: z.boolean(),
  hiddenFromAddressListsEnabled: z.boolean(),
  whenCreated: isoDate,
});

/** A directory user without Exchange attributes, e.g. the `Exchange Online-ApplicationAccount` that setup links. */
export const adUserSchema = z.object({
  name: z.string(),
  guid: z.string(),
  distinguishedName: z.string(),
  whenCreated: isoDate,
});

export const managementRoleSchema = z.object({
  name: z.string(),
  /** null for a built-in (root) role. */
  parent: z.string().nullable(),
  builtIn: z.boolean(),
  /** Entry names, e.g. `GetDelegate`; the identity of an entry is `<role>\<name>`. */
  entries: z.array(z.string()),
});

export const roleAssignmentSchema = z.object({
  name: z.string(),
  role: z.string(),
  /** Name of the mail user or other assignee. */
  user: z.string(),
  enabled: z.boolean(),
});

export const partnerApplicationSchema = z.object({
  name: z.string(),
  applicationIdentifier: z.string(),
  realm: z.string(),
  enabled: z.boolean(),
  /** Name of the linked mail user, or null. */
  linkedAccount: z.string().nullable(),
  authMetadataUrl: z.string().nullable(),
  useAuthServer: z.boolean(),
  acceptSecurityIdentifierInformation: z.boolean(),
});

export const authServerSchema = z.object({
  name: z.string(),
  /** `AzureAD` (evoSTS), `MicrosoftACS` (ACS) or `ADFS`. */
  type: z.string(),
  authMetadataUrl: z.string(),
  issuerIdentifier: z.string(),
  realm: z.string(),
  enabled: z.boolean(),
  /** The dedicated Exchange hybrid application's appId (Set-AuthServer -ApplicationIdentifier); absent in older files. */
  applicationIdentifier: z.string().nullable().default(null),
  /** Tenant domains linked to this auth server (-DomainName); absent in older files. */
  domainName: z.array(z.string()).default(() => []),
});

export const authConfigSchema = z.object({
  serviceName: z.string(),
  realm: z.string(),
  currentCertificateThumbprint: z.string(),
  previousCertificateThumbprint: z.string().nullable(),
  nextCertificateThumbprint: z.string().nullable(),
  nextCertificateEffectiveDate: isoDate.nullable(),
});

export const exchangeCertificateSchema = z.object({
  thumbprint: z.string(),
  subject: z.string(),
  friendlyName: z.string(),
  notBefore: isoDate,
  notAfter: isoDate,
  /** e.g. `SMTP`, `IIS`; the auth certificate has `SMTP` in Exchange but is referenced by AuthConfig. */
  services: z.array(z.string()),
  derBase64: z.string(),
});

export const autoReplySchema = z.object({
  identity: z.string(),
  /** Lets the mailbox be named by address as well as by identity. */
  primarySmtpAddress: z.string().optional(),
  autoReplyState: z.enum(['Disabled', 'Enabled', 'Scheduled']),
  internalMessage: z.string(),
  externalMessage: z.string(),
});

/** An Exchange server of the org, with its own certificate store. */
export const exchangeServerSchema = z.object({
  name: z.string(),
  fqdn: z.string(),
  /** `Mailbox` or `Edge` (Edge Transport, outside the org's AD). */
  role: z.enum(['Mailbox', 'Edge']),
  edition: z.enum(['Standard', 'Enterprise']).default('Standard'),
  /** What Get-ExchangeServer shows: the cumulative update's build, e.g. `Version 15.2 (Build 1748.10)`. */
  adminDisplayVersion: z.string(),
  /** ExSetup.exe's file version, which includes the installed SU/HU, e.g. `15.02.1748.024`. */
  exSetupVersion: z.string(),
  /** AD site: the certificate servicelet copies auth certificates to the Mailbox servers of a site. */
  site: z.string().default('Default-First-Site-Name'),
  /** false: the server doesn't answer RPC (per-server cmdlets fail, nothing is copied to it). */
  online: z.boolean().default(true),
  /** Thumbprints of the certificates in its store; the certificates themselves are in `org.certificates`. */
  certificates: z.array(z.string()),
  /** When its topology service last reloaded setting overrides (Get-ExchangeDiagnosticInfo … -Argument Refresh). */
  overridesRefreshedAt: isoDate.nullable().default(null),
});

/** A setting override (New-SettingOverride), stored in AD and read by every server it applies to. */
export const settingOverrideSchema = z.object({
  name: z.string(),
  componentName: z.string(),
  sectionName: z.string(),
  /** `Name=Value` entries, e.g. `Enabled=true`. */
  parameters: z.array(z.string()),
  reason: z.string(),
  /** Server names it applies to; null for every server. */
  server: z.array(z.string()).nullable(),
  whenCreated: isoDate,
  whenChanged: isoDate,
});

export const acceptedDomainSchema = z.object({
  name: z.string(),
  domainName: z.string(),
  domainType: z.enum(['Authoritative', 'InternalRelay', 'ExternalRelay']),
  default: z.boolean(),
});

export const intraOrganizationConnectorSchema = z.object({
  name: z.string(),
  enabled: z.boolean(),
  discoveryEndpoint: z.string(),
  targetAddressDomains: z.array(z.string()),
});

export const commandLogEntrySchema = z.object({
  at: isoDate,
  cmdlet: z.string(),
  params: z.record(z.string(), z.unknown()),
  mutating: z.boolean(),
  ok: z.boolean(),
  error: z.string().optional(),
});

/** The lab state as stored; older files are brought to this shape on load (see state-upgrade.ts). */
export const labStateSchema = z.preprocess(
  upgradeLabState,
  z.object({
    version: z.literal(1),
    org: z.object({
      organizationName: z.string(),
      domain: z.string(),
      /** Domain controllers that answer `-DomainController`. */
      domainControllers: z.array(z.string()),
      /** The Exchange organization's GUID (Get-OrganizationConfig), which names the dedicated hybrid application. */
      organizationGuid: z.string(),
      exchange: z.object({
        /** Files from before `servers` only: the version of their one server (moved there on load). */
        adminDisplayVersion: z.string().optional(),
        /** When true, New-MailUser refuses `-ApplicationAccount` as an unknown parameter (builds before the switch existed). */
        rejectsApplicationAccount: z.boolean(),
        /** Simulated execution time of every cmdlet, in milliseconds. */
        latencyMs: z.number().int().min(0),
        /**
         * `end-to-end` (default): Test-OAuthConnectivity to Exchange Online also judges the Entra side (the key of the
         * application Exchange signs as, its permission, the shared principal's EWS block). `on-premises`: only what
         * the on-premises org holds, as labs did before the Entra side was modelled.
         */
        oauthTestScope: z.enum(['end-to-end', 'on-premises']).default('end-to-end'),
        /** The last AuthAdmin servicelet run the lab has accounted for (runs every 12 hours at 06:00 and 18:00 UTC). */
        authAdminLastRunAt: isoDate.nullable().default(null),
      }),
      servers: z.array(exchangeServerSchema),
      /** The server the EMS session (the relay agent) runs on: cmdlets without -Server act there. */
      localServer: z.string(),
      acceptedDomains: z.array(acceptedDomainSchema),
      mailUsers: z.array(mailUserSchema),
      /** Plain directory users (linked accounts of partner applications); absent in older files. */
      users: z.array(adUserSchema).default(() => []),
      managementRoles: z.array(managementRoleSchema),
      roleAssignments: z.array(roleAssignmentSchema),
      partnerApplications: z.array(partnerApplicationSchema),
      authServers: z.array(authServerSchema),
      authConfig: authConfigSchema,
      certificates: z.array(exchangeCertificateSchema),
      /** Private keys of lab certificates (PKCS#8 PEM by thumbprint), so the lab can sign tokens; never leaves the lab. */
      certificatePrivateKeys: z.record(z.string(), z.string()),
      autoReplyConfigurations: z.array(autoReplySchema),
      intraOrganizationConnectors: z.array(intraOrganizationConnectorSchema),
      settingOverrides: z.array(settingOverrideSchema).default(() => []),
      commandLog: z.array(commandLogEntrySchema),
    }),
    tenant: tenantSchema,
  }),
);

export type LabState = z.infer<typeof labStateSchema>;
export type MailUser = z.infer<typeof mailUserSchema>;
export type AdUser = z.infer<typeof adUserSchema>;
export type ManagementRole = z.infer<typeof managementRoleSchema>;
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;
export type PartnerApplication = z.infer<typeof partnerApplicationSchema>;
export type AuthServer = z.infer<typeof authServerSchema>;
export type ExchangeCertificate = z.infer<typeof exchangeCertificateSchema>;
export type ExchangeServer = z.infer<typeof exchangeServerSchema>;
export type SettingOverride = z.infer<typeof settingOverrideSchema>;
export type IntraOrganizationConnector = z.infer<typeof intraOrganizationConnectorSchema>;
