/** Checks Graph's JSON answers against the shapes hybridops relies on. */
import { z } from 'zod/v4';
import type {
  Application,
  AppRoleAssignment,
  KeyCredential,
  ServicePrincipal,
  TaggedServicePrincipal,
} from '../core/entra';
import { GraphError } from './errors';

const keyCredentialSchema = z.object({
  keyId: z.string(),
  customKeyIdentifier: z.string().nullable().default(null),
  displayName: z.string().nullable().default(null),
  type: z.string(),
  usage: z.string(),
  key: z.string().nullable().default(null),
  startDateTime: z.string(),
  endDateTime: z.string(),
});

const servicePrincipalSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string().nullable().default(''),
  servicePrincipalNames: z.array(z.string()).default(() => []),
  keyCredentials: z.array(keyCredentialSchema).default(() => []),
});

const listSchema = z.object({ value: z.array(servicePrincipalSchema) });

const applicationSchema = z.object({
  id: z.string(),
  appId: z.string(),
  displayName: z.string().nullable().default(''),
  signInAudience: z.string().nullable().default(''),
  keyCredentials: z.array(keyCredentialSchema).default(() => []),
  requiredResourceAccess: z
    .array(
      z.object({
        resourceAppId: z.string(),
        resourceAccess: z.array(z.object({ id: z.string(), type: z.enum(['Role', 'Scope']) })),
      }),
    )
    .default(() => []),
});

const appRolesSchema = z.object({
  id: z.string(),
  appId: z.string(),
  appRoles: z
    .array(
      z.object({
        id: z.string(),
        value: z.string().nullable(),
        displayName: z.string().nullable().default(''),
        allowedMemberTypes: z.array(z.string()),
        isEnabled: z.boolean(),
      }),
    )
    .default(() => []),
});

const assignmentSchema = z.object({
  id: z.string(),
  principalId: z.string(),
  resourceId: z.string(),
  appRoleId: z.string(),
  createdDateTime: z.string(),
});
const keysSchema = z.object({ keyCredentials: z.array(keyCredentialSchema) });

const principalWithGrantsSchema = z.object({
  id: z.string(),
  appId: z.string(),
  // Required: a principal without it was not expanded, and its grants are unknown.
  appRoleAssignments: z.array(assignmentSchema),
});

/** A service principal read with `$expand=appRoleAssignments`: its ids and the grants Graph expanded. */
export type PrincipalWithGrants = z.infer<typeof principalWithGrantsSchema>;

/** The service principal in a Graph object answer. */
export function parseServicePrincipal(body: unknown): ServicePrincipal {
  const sp = check(servicePrincipalSchema, body, 'servicePrincipal');
  return { ...sp, displayName: sp.displayName ?? '' };
}

/** The first service principal of a `value` list, or null when the list is empty. */
export function parseFirstServicePrincipal(body: unknown): ServicePrincipal | null {
  const first = check(listSchema, body, 'servicePrincipal list').value[0];
  return first === undefined ? null : { ...first, displayName: first.displayName ?? '' };
}

/** The keyCredentials of a `$select=keyCredentials` answer. */
export function parseKeyCredentials(body: unknown): KeyCredential[] {
  return check(keysSchema, body, 'keyCredentials').keyCredentials;
}

function check<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new GraphError(
    'GRAPH_BAD_RESPONSE',
    `Graph returned an unexpected ${what}: ${parsed.error.message}`,
    {
      status: 0,
      graphCode: null,
    },
  );
}

/** An application in a Graph object answer. */
export function parseApplication(body: unknown): Application {
  const app = check(applicationSchema, body, 'application');
  return { ...app, displayName: app.displayName ?? '', signInAudience: app.signInAudience ?? '' };
}

/** The applications of a `value` list. */
export function parseApplications(body: unknown): Application[] {
  const list = check(z.object({ value: z.array(z.unknown()) }), body, 'application list');
  return list.value.map(parseApplication);
}

/** A service principal with its tags. */
export function parseTaggedServicePrincipal(body: unknown): TaggedServicePrincipal {
  const tags = check(
    z.object({ tags: z.array(z.string()).default(() => []) }),
    body,
    'servicePrincipal',
  ).tags;
  return { ...parseServicePrincipal(body), tags };
}

/** The service principals, with their tags, of a `value` list. */
export function parseTaggedServicePrincipals(body: unknown): TaggedServicePrincipal[] {
  const list = check(z.object({ value: z.array(z.unknown()) }), body, 'servicePrincipal list');
  return list.value.map(parseTaggedServicePrincipal);
}

/** A resource service principal's id, appId and application roles. */
export function parseAppRoles(body: unknown): z.infer<typeof appRolesSchema> {
  return check(appRolesSchema, body, 'servicePrincipal appRoles');
}

/** An app role assignment, alone or as a `value` list. */
export function parseAppRoleAssignment(body: unknown): AppRoleAssignment {
  return check(assignmentSchema, body, 'appRoleAssignment');
}

export function parseAppRoleAssignments(body: unknown): AppRoleAssignment[] {
  return check(z.object({ value: z.array(assignmentSchema) }), body, 'appRoleAssignment list').value;
}

/** The service principals of a `value` list read with `$expand=appRoleAssignments`. */
export function parsePrincipalsWithGrants(body: unknown): PrincipalWithGrants[] {
  return check(z.object({ value: z.array(principalWithGrantsSchema) }), body, 'servicePrincipal list').value;
}
