/** The simulated org's whole state: one JSON file (documented in docs/lab.md), validated on load. */
import { z } from 'zod/v4';

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

export const keyCredentialSchema = z.object({
  keyId: z.string(),
  customKeyIdentifier: z.string().nullable(),
  displayName: z.string().nullable(),
  type: z.string(),
  usage: z.string(),
  key: z.string().nullable(),
  startDateTime: isoDate,
  endDateTime: isoDate,
});

export const servicePrincipalSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string(),
  servicePrincipalNames: z.array(z.string()),
  keyCredentials: z.array(keyCredentialSchema),
});

export const labStateSchema = z.object({
  version: z.literal(1),
  org: z.object({
    organizationName: z.string(),
    domain: z.string(),
    /** Domain controllers that answer `-DomainController`. */
    domainControllers: z.array(z.string()),
    exchange: z.object({
      /** e.g. `Version 15.2 (Build 1544.4)`. */
      adminDisplayVersion: z.string(),
      /** When true, New-MailUser refuses `-ApplicationAccount` as an unknown parameter (builds before the switch existed). */
      rejectsApplicationAccount: z.boolean(),
      /** Simulated execution time of every cmdlet, in milliseconds. */
      latencyMs: z.number().int().min(0),
    }),
    mailUsers: z.array(mailUserSchema),
    /** Plain directory users (linked accounts of partner applications); absent in older files. */
    users: z.array(adUserSchema).default([]),
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
    commandLog: z.array(commandLogEntrySchema),
  }),
  tenant: z.object({
    tenantId: z.string(),
    initialDomain: z.string(),
    servicePrincipals: z.array(servicePrincipalSchema),
    /** Graph request log: method, path, status. */
    requestLog: z.array(z.object({ at: isoDate, method: z.string(), path: z.string(), status: z.number() })),
  }),
});

export type LabState = z.infer<typeof labStateSchema>;
export type MailUser = z.infer<typeof mailUserSchema>;
export type AdUser = z.infer<typeof adUserSchema>;
export type ManagementRole = z.infer<typeof managementRoleSchema>;
export type RoleAssignment = z.infer<typeof roleAssignmentSchema>;
export type PartnerApplication = z.infer<typeof partnerApplicationSchema>;
export type AuthServer = z.infer<typeof authServerSchema>;
export type ExchangeCertificate = z.infer<typeof exchangeCertificateSchema>;
export type LabServicePrincipal = z.infer<typeof servicePrincipalSchema>;
export type LabKeyCredential = z.infer<typeof keyCredentialSchema>;
