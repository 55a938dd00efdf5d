/** The application's service principal, the resource's application roles and their grant (admin consent). */
import type { AppRoleAssignment, Ensured, ResolvedAppRole, TaggedServicePrincipal } from '../core/entra';
import { sameText } from '../core/text';
import { GraphError } from './errors';
import {
  parseAppRoleAssignment,
  parseAppRoleAssignments,
  parseAppRoles,
  parseTaggedServicePrincipal,
  parseTaggedServicePrincipals,
} from './parse';
import { type GraphRequests, odataString } from './requests';

const TAGGED_SELECT = 'id,appId,displayName,servicePrincipalNames,keyCredentials,tags';

async function readTagged(requests: GraphRequests, appId: string): Promise<TaggedServicePrincipal | null> {
  const body = await requests.get('/servicePrincipals', {
    $filter: `appId eq ${odataString(appId)}`,
    $select: TAGGED_SELECT,
  });
  return parseTaggedServicePrincipals(body)[0] ?? null;
}

/**
 * The application's service principal: created when absent (POST with accountEnabled, then the tags in a PATCH, as
 * ConfigureExchangeHybridApplication.ps1 does), and any missing tag added (the others kept).
 */
export async function ensureServicePrincipal(
  requests: GraphRequests,
  appId: string,
  tags: readonly string[],
): Promise<Ensured<TaggedServicePrincipal>> {
  const found = await readTagged(requests, appId);
  let created = false;
  let sp = found;
  if (sp === null) {
    sp = parseTaggedServicePrincipal(
      await requests.post('/servicePrincipals', { appId, accountEnabled: true }),
    );
    created = true;
  }
  const have = sp.tags;
  const missing = tags.filter((tag) => !have.includes(tag));
  if (missing.length === 0) return { change: created ? 'create' : 'none', value: sp };
  await requests.patch(`/servicePrincipals/${encodeURIComponent(sp.id)}`, { tags: [...have, ...missing] });
  const value = (await readTagged(requests, appId)) ?? { ...sp, tags: [...have, ...missing] };
  return { change: created ? 'create' : 'update', value };
}

/** The properties a resource's application roles are read with. */
export const APP_ROLES_SELECT = 'id,appId,displayName,appRoles';

/** `/servicePrincipals(appId='…')`: a service principal by its application's appId (Graph's alternate key). */
export function principalByAppIdPath(appId: string): string {
  return `/servicePrincipals(appId=${odataString(appId)})`;
}

/** Graph's 404 for a resource read by appId, as GRAPH_SERVICE_PRINCIPAL_NOT_FOUND; any other error as it is. */
export function resourceReadError(resourceAppId: string, error: unknown): unknown {
  if (!(error instanceof GraphError && error.status === 404)) return error;
  return new GraphError(
    'GRAPH_SERVICE_PRINCIPAL_NOT_FOUND',
    `No service principal has appId ${resourceAppId}.`,
    {
      status: 404,
      graphCode: error.graphCode,
      cause: error,
    },
  );
}

/** The application permission (allowed for applications, enabled) with this value in a resource's appRoles answer. */
export function resolveAppRole(body: unknown, value: string): ResolvedAppRole | null {
  const resource = parseAppRoles(body);
  const role = resource.appRoles.find(
    (r) => r.value === value && r.isEnabled && r.allowedMemberTypes.includes('Application'),
  );
  if (!role) return null;
  return {
    resourceId: resource.id,
    resourceAppId: resource.appId,
    appRoleId: role.id,
    value,
    displayName: role.displayName ?? '',
  };
}

/** The application permission (allowed for applications, enabled) with this value on the resource, or null. */
export async function findAppRole(
  requests: GraphRequests,
  resourceAppId: string,
  value: string,
): Promise<ResolvedAppRole | null> {
  let body: unknown;
  try {
    body = await requests.get(principalByAppIdPath(resourceAppId), { $select: APP_ROLES_SELECT });
  } catch (error) {
    throw resourceReadError(resourceAppId, error);
  }
  return resolveAppRole(body, value);
}

/** Whether the assignment grants this role (the resource's object id and the role's id, case aside). */
export function grantsRole(assignment: AppRoleAssignment, role: ResolvedAppRole): boolean {
  return sameText(assignment.resourceId, role.resourceId) && sameText(assignment.appRoleId, role.appRoleId);
}

/** The app role assignments of a service principal (GET servicePrincipals/{id}/appRoleAssignments). */
export async function listAppRoleAssignments(
  requests: GraphRequests,
  principalId: string,
): Promise<AppRoleAssignment[]> {
  return parseAppRoleAssignments(
    await requests.get(`/servicePrincipals/${encodeURIComponent(principalId)}/appRoleAssignments`),
  );
}

/** Grants the role unless it is granted already (POST servicePrincipals/{id}/appRoleAssignments → 201). */
export async function grantAppRole(
  requests: GraphRequests,
  principalId: string,
  role: ResolvedAppRole,
): Promise<Ensured<AppRoleAssignment>> {
  const granted = (await listAppRoleAssignments(requests, principalId)).find((a) => grantsRole(a, role));
  if (granted) return { change: 'none', value: granted };
  const body = await requests.post(
    `/servicePrincipals/${encodeURIComponent(principalId)}/appRoleAssignments`,
    {
      principalId,
      resourceId: role.resourceId,
      appRoleId: role.appRoleId,
    },
  );
  return { change: 'create', value: parseAppRoleAssignment(body) };
}
