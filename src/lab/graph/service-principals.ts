/** The lab's `/v1.0/servicePrincipals`: list with `$filter`, get, create, PATCH, and their appRoleAssignments. */
import { randomUUID } from 'node:crypto';
import type { LabServicePrincipal, LabState } from '../state';
import { assignmentsOf, handleAppRoleAssignments } from './app-role-assignments';
import { type CollectionReads, getItem, listItems, type Navigation, patchItem } from './collection';
import {
  invalidProperties,
  methodNotAllowed,
  noApplicationForAppId,
  resourceNotFound,
  segmentNotFound,
  servicePrincipalExists,
  unknownProperty,
} from './faults';
import type { LabResponse } from './http';
import { acceptKeyCredentials, keyCredentialsView } from './key-credentials';
import type { FilterFields } from './odata';
import {
  bodyObject,
  type LabGraphRequest,
  nullableString,
  type ResourceContext,
  stringList,
} from './resource';

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals';
const ITEM = /^\/servicePrincipals(?:\/([^/()]+)|\(appId='([^']+)'\))(\/appRoleAssignments)?\/?$/i;

export const SP_PROPERTIES = [
  'id',
  'appId',
  'displayName',
  'servicePrincipalNames',
  'keyCredentials',
  'tags',
  'appRoles',
  'accountEnabled',
  'description',
  'notes',
] as const;
type SpProperty = (typeof SP_PROPERTIES)[number];

const FILTER: FilterFields<LabServicePrincipal> = {
  // Directory objects compare strings case-insensitively; that is why the seed's `AppId eq` works.
  scalars: { id: (sp) => sp.id, appid: (sp) => sp.appId, displayname: (sp) => sp.displayName },
  collections: { serviceprincipalnames: (sp) => sp.servicePrincipalNames, tags: (sp) => sp.tags },
  typeName: 'ServicePrincipal',
};

/** The service principal an object id or `(appId='…')` names, or Graph's 404. */
export function findServicePrincipal(
  state: LabState,
  id: string | undefined,
  appId?: string,
): LabServicePrincipal {
  const key = (id ?? appId ?? '').toLowerCase();
  const sp = state.tenant.servicePrincipals.find((s) =>
    id !== undefined ? s.id.toLowerCase() === key : s.appId.toLowerCase() === key,
  );
  if (sp === undefined) throw resourceNotFound(id ?? appId ?? '');
  return sp;
}

/** Routes a `/servicePrincipals…` request. */
const READS: CollectionReads<LabServicePrincipal, SpProperty> = {
  context: CONTEXT,
  typeName: 'servicePrincipal',
  properties: SP_PROPERTIES,
  filter: FILTER,
  project,
};

export function handleServicePrincipals(
  ctx: ResourceContext,
  req: LabGraphRequest,
  path: string,
): LabResponse {
  // The one relationship the lab expands: the application permissions granted to the service principal.
  const navigation: Navigation<LabServicePrincipal> = {
    appRoleAssignments: (sp) => assignmentsOf(ctx.state, sp),
  };
  if (/^\/servicePrincipals\/?$/i.test(path)) {
    if (req.method === 'GET')
      return listItems(ctx.state.tenant.servicePrincipals, req.query, READS, navigation);
    if (req.method === 'POST') return create(ctx, req.body);
    throw methodNotAllowed();
  }
  const match = ITEM.exec(path);
  if (match === null) throw segmentNotFound(path.split('/').filter(Boolean)[1] ?? 'servicePrincipals');
  const sp = findServicePrincipal(ctx.state, match[1], match[2]);
  if (match[3] !== undefined) return handleAppRoleAssignments(ctx, req, sp);
  if (req.method === 'GET') return getItem(sp, req.query, READS, navigation);
  if (req.method === 'PATCH')
    return patchItem(ctx, ctx.state.tenant.servicePrincipals, sp, req.body, withProperty);
  throw methodNotAllowed();
}

/** POST: the service principal of an application in the tenant (tags may come here or in a later PATCH). */
function create(ctx: ResourceContext, body: unknown): LabResponse {
  const given = bodyObject(body);
  const appId = given.appId;
  if (typeof appId !== 'string' || appId === '') throw invalidProperties();
  const tenant = ctx.state.tenant;
  if (tenant.servicePrincipals.some((sp) => sp.appId.toLowerCase() === appId.toLowerCase())) {
    throw servicePrincipalExists(appId);
  }
  const app = tenant.applications.find((a) => a.appId.toLowerCase() === appId.toLowerCase());
  if (!app) throw noApplicationForAppId(appId);
  let sp: LabServicePrincipal = {
    id: randomUUID(),
    appId: app.appId,
    displayName: app.displayName,
    servicePrincipalNames: [app.appId],
    keyCredentials: [],
    tags: [],
    appRoles: [],
    accountEnabled: true,
    description: null,
    notes: null,
  };
  for (const [name, value] of Object.entries(given)) if (name !== 'appId') sp = withProperty(sp, name, value);
  tenant.servicePrincipals.push(sp);
  ctx.persist();
  return {
    status: 201,
    body: { '@odata.context': `${CONTEXT}/$entity`, ...project(sp, SP_PROPERTIES, false) },
  };
}

/** One writable property set from a request body; anything else is Graph's 400. */
function withProperty(sp: LabServicePrincipal, name: string, value: unknown): LabServicePrincipal {
  switch (name) {
    case 'keyCredentials':
      return { ...sp, keyCredentials: acceptKeyCredentials(value) };
    case 'servicePrincipalNames':
      return { ...sp, servicePrincipalNames: stringList(value, name) };
    case 'tags':
      return { ...sp, tags: stringList(value, name) };
    case 'displayName':
      if (typeof value !== 'string') throw invalidProperties();
      return { ...sp, displayName: value };
    case 'accountEnabled':
      if (typeof value !== 'boolean') throw invalidProperties();
      return { ...sp, accountEnabled: value };
    case 'description':
    case 'notes':
      return { ...sp, [name]: nullableString(value, name) };
    case '@odata.type':
      return sp;
    default:
      throw unknownProperty(name, 'servicePrincipal');
  }
}

function project(
  sp: LabServicePrincipal,
  select: readonly SpProperty[],
  withKeys: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of select) {
    if (property === 'keyCredentials') out.keyCredentials = keyCredentialsView(sp.keyCredentials, withKeys);
    else if (property === 'appRoles')
      out.appRoles = sp.appRoles.map((role) => ({ ...role, origin: 'Application' }));
    else out[property] = structuredClone(sp[property]);
  }
  return out;
}
