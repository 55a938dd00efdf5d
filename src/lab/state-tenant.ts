/** The tenant half of the lab state: what the lab's Microsoft Graph serves (docs/lab.md, `tenant`). */
import { z } from 'zod/v4';

const isoDate = z.string().datetime({ offset: true });

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

/** An application role a resource service principal defines (e.g. Exchange Online's `full_access_as_app`). */
export const appRoleSchema = z.object({
  id: z.string(),
  value: z.string(),
  displayName: z.string(),
  description: z.string(),
  /** `Application` for application permissions. */
  allowedMemberTypes: z.array(z.string()),
  isEnabled: z.boolean(),
});

export const servicePrincipalSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string(),
  servicePrincipalNames: z.array(z.string()),
  keyCredentials: z.array(keyCredentialSchema),
  /** Absent in older files. */
  tags: z.array(z.string()).default(() => []),
  appRoles: z.array(appRoleSchema).default(() => []),
  accountEnabled: z.boolean().default(true),
  description: z.string().nullable().default(null),
  notes: z.string().nullable().default(null),
});

/** One API an application asks permissions of (`requiredResourceAccess`). */
export const requiredResourceAccessSchema = z.object({
  resourceAppId: z.string(),
  resourceAccess: z.array(z.object({ id: z.string(), type: z.enum(['Role', 'Scope']) })),
});

/** An app registration in the tenant (the dedicated Exchange hybrid application is one). */
export const applicationSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  notes: z.string().nullable(),
  /** `AzureADMyOrg`: single tenant. */
  signInAudience: z.string(),
  createdDateTime: isoDate,
  keyCredentials: z.array(keyCredentialSchema),
  requiredResourceAccess: z.array(requiredResourceAccessSchema),
  tags: z.array(z.string()),
});

/** An application permission granted to a service principal (admin consent). */
export const appRoleAssignmentSchema = z.object({
  id: z.string(),
  /** The client service principal's object id. */
  principalId: z.string(),
  /** The resource service principal's object id. */
  resourceId: z.string(),
  appRoleId: z.string(),
  createdDateTime: isoDate,
});

/** The Microsoft cloud the tenant lives in; it decides which metadata hosts answer for it. */
export const CLOUDS = ['Global', 'USGovernmentL4', 'USGovernmentL5'] as const;

export const tenantSchema = z.object({
  tenantId: z.string(),
  initialDomain: z.string(),
  cloud: z.enum(CLOUDS).default('Global'),
  servicePrincipals: z.array(servicePrincipalSchema),
  applications: z.array(applicationSchema).default(() => []),
  appRoleAssignments: z.array(appRoleAssignmentSchema).default(() => []),
  /** Graph request log: method, path, status. */
  requestLog: z.array(z.object({ at: isoDate, method: z.string(), path: z.string(), status: z.number() })),
});

export type Cloud = (typeof CLOUDS)[number];
export type LabServicePrincipal = z.infer<typeof servicePrincipalSchema>;
export type LabKeyCredential = z.infer<typeof keyCredentialSchema>;
export type LabApplication = z.infer<typeof applicationSchema>;
export type LabAppRole = z.infer<typeof appRoleSchema>;
export type LabAppRoleAssignment = z.infer<typeof appRoleAssignmentSchema>;
export type LabRequiredResourceAccess = z.infer<typeof requiredResourceAccessSchema>;
