/** The lab's `/v1.0/applications`: create, list with `$filter`, get by id or `(appId='…')`, PATCH. */
import { randomUUID } from 'node:crypto';
import { isoSeconds } from '../../core/time';
import type { LabApplication, LabRequiredResourceAccess, LabState } from '../state';
import { type CollectionReads, getItem, listItems, patchItem } from './collection';
import {
  invalidProperties,
  methodNotAllowed,
  resourceNotFound,
  segmentNotFound,
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

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#applications';
const ITEM = /^\/applications(?:\/([^/()]+)|\(appId='([^']+)'\))\/?$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AUDIENCES = [
  'AzureADMyOrg',
  'AzureADMultipleOrgs',
  'AzureADandPersonalMicrosoftAccount',
  'PersonalMicrosoftAccount',
];
/** "No more than 50 resource services (APIs) can be configured … must not exceed 400" (application resource type). */
const MAX_RESOURCES = 50;
const MAX_PERMISSIONS = 400;

export const APP_PROPERTIES = [
  'id',
  'appId',
  'displayName',
  'description',
  'notes',
  'signInAudience',
  'createdDateTime',
  'keyCredentials',
  'requiredResourceAccess',
  'tags',
] as const;
type AppProperty = (typeof APP_PROPERTIES)[number];

const FILTER: FilterFields<LabApplication> = {
  scalars: { id: (a) => a.id, appid: (a) => a.appId, displayname: (a) => a.displayName },
  collections: { tags: (a) => a.tags },
  typeName: 'Application',
};

/** Routes an `/applications…` request. */
const READS: CollectionReads<LabApplication, AppProperty> = {
  context: CONTEXT,
  typeName: 'application',
  properties: APP_PROPERTIES,
  filter: FILTER,
  project,
};

export function handleApplications(ctx: ResourceContext, req: LabGraphRequest, path: string): LabResponse {
  if (/^\/applications\/?$/i.test(path)) {
    if (req.method === 'GET') return listItems(ctx.state.tenant.applications, req.query, READS);
    if (req.method === 'POST') return create(ctx, req.body);
    throw methodNotAllowed();
  }
  const match = ITEM.exec(path);
  if (match === null) throw segmentNotFound(path.split('/').filter(Boolean)[1] ?? 'applications');
  const app = find(ctx.state, match[1], match[2]);
  if (req.method === 'GET') return getItem(app, req.query, READS);
  if (req.method === 'PATCH')
    return patchItem(ctx, ctx.state.tenant.applications, app, req.body, withProperty);
  throw methodNotAllowed();
}

function find(state: LabState, id: string | undefined, appId: string | undefined): LabApplication {
  const key = (id ?? appId ?? '').toLowerCase();
  const app = state.tenant.applications.find((a) =>
    id !== undefined ? a.id.toLowerCase() === key : a.appId.toLowerCase() === key,
  );
  if (!app) throw resourceNotFound(id ?? appId ?? '');
  return app;
}

/** POST: a new app registration; Entra allows several with the same display name. */
function create(ctx: ResourceContext, body: unknown): LabResponse {
  const given = bodyObject(body);
  if (typeof given.displayName !== 'string' || given.displayName.trim() === '') throw invalidProperties();
  let app: LabApplication = {
    id: randomUUID(),
    appId: randomUUID(),
    displayName: given.displayName,
    description: null,
    notes: null,
    signInAudience: 'AzureADMyOrg',
    createdDateTime: isoSeconds(ctx.clock.now()),
    keyCredentials: [],
    requiredResourceAccess: [],
    tags: [],
  };
  for (const [name, value] of Object.entries(given)) app = withProperty(app, name, value);
  ctx.state.tenant.applications.push(app);
  ctx.persist();
  return {
    status: 201,
    body: { '@odata.context': `${CONTEXT}/$entity`, ...project(app, APP_PROPERTIES, false) },
  };
}

function withProperty(app: LabApplication, name: string, value: unknown): LabApplication {
  switch (name) {
    case 'displayName':
      if (typeof value !== 'string' || value.trim() === '') throw invalidProperties();
      return { ...app, displayName: value };
    case 'signInAudience':
      if (typeof value !== 'string' || !AUDIENCES.includes(value)) throw invalidProperties();
      return { ...app, signInAudience: value };
    case 'keyCredentials':
      return { ...app, keyCredentials: acceptKeyCredentials(value) };
    case 'requiredResourceAccess':
      return { ...app, requiredResourceAccess: acceptRequiredResourceAccess(value) };
    case 'tags':
      return { ...app, tags: stringList(value, name) };
    case 'description':
    case 'notes':
      return { ...app, [name]: nullableString(value, name) };
    case '@odata.type':
      return app;
    default:
      throw unknownProperty(name, 'application');
  }
}

/** The permissions an application asks for: GUIDs, `Role` or `Scope`, within Graph's limits. */
function acceptRequiredResourceAccess(value: unknown): LabRequiredResourceAccess[] {
  if (!Array.isArray(value) || value.length > MAX_RESOURCES) throw invalidProperties();
  const accepted = value.map((entry: unknown): LabRequiredResourceAccess => {
    const { resourceAppId, resourceAccess } = (entry ?? {}) as Record<string, unknown>;
    if (typeof resourceAppId !== 'string' || !GUID.test(resourceAppId) || !Array.isArray(resourceAccess)) {
      throw invalidProperties();
    }
    return {
      resourceAppId,
      resourceAccess: resourceAccess.map((access: unknown) => {
        const { id, type } = (access ?? {}) as Record<string, unknown>;
        if (typeof id !== 'string' || !GUID.test(id) || (type !== 'Role' && type !== 'Scope'))
          throw invalidProperties();
        return { id, type };
      }),
    };
  });
  if (accepted.reduce((sum, entry) => sum + entry.resourceAccess.length, 0) > MAX_PERMISSIONS)
    throw invalidProperties();
  return accepted;
}

function project(
  app: LabApplication,
  select: readonly AppProperty[],
  withKeys: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of select) {
    out[property] =
      property === 'keyCredentials'
        ? keyCredentialsView(app.keyCredentials, withKeys)
        : structuredClone(app[property]);
  }
  return out;
}
