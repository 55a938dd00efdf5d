/**
 * Graph requests as the Microsoft Graph PowerShell cmdlets an admin would type (module Microsoft.Graph.Applications):
 * `Update-MgServicePrincipal -ServicePrincipalId … -KeyCredentials @(…)`, `New-MgApplication`, … Names and
 * parameters as the module's reference documents them. A request no cmdlet here covers stays
 * `Invoke-MgGraphRequest`, which sends the body exactly as given.
 */
import { type GraphBody, type GraphOperation, isValueRef, type ValueRef } from '../../core/plan';
import { quoteLiteral } from '../../exchange/render';

/** How key bytes are shown: elided on cards, whole in the .ps1. */
export type Shown = (text: string) => string;

/** The cmdlet for one kind of request: `ids` name the path's id segments; `body` the properties it takes as parameters. */
interface Route {
  readonly method: GraphOperation['method'];
  /** The path's segments: a collection name, or null for an id. */
  readonly shape: readonly (string | null)[];
  readonly cmdlet: string;
  readonly ids: readonly string[];
  readonly body: readonly string[];
}

// The body properties the runbooks send, each a documented parameter of the cmdlet (-DisplayName, -KeyCredentials, …).
const APPLICATION = [
  'displayName',
  'signInAudience',
  'notes',
  'requiredResourceAccess',
  'keyCredentials',
  'tags',
];
const PRINCIPAL = ['appId', 'accountEnabled', 'servicePrincipalNames', 'tags', 'keyCredentials', 'notes'];

const ROUTES: readonly Route[] = [
  { method: 'POST', shape: ['applications'], cmdlet: 'New-MgApplication', ids: [], body: APPLICATION },
  {
    method: 'PATCH',
    shape: ['applications', null],
    cmdlet: 'Update-MgApplication',
    ids: ['ApplicationId'],
    body: APPLICATION,
  },
  {
    method: 'DELETE',
    shape: ['applications', null],
    cmdlet: 'Remove-MgApplication',
    ids: ['ApplicationId'],
    body: [],
  },
  {
    method: 'POST',
    shape: ['servicePrincipals'],
    cmdlet: 'New-MgServicePrincipal',
    ids: [],
    body: PRINCIPAL,
  },
  {
    method: 'PATCH',
    shape: ['servicePrincipals', null],
    cmdlet: 'Update-MgServicePrincipal',
    ids: ['ServicePrincipalId'],
    body: PRINCIPAL,
  },
  {
    method: 'DELETE',
    shape: ['servicePrincipals', null],
    cmdlet: 'Remove-MgServicePrincipal',
    ids: ['ServicePrincipalId'],
    body: [],
  },
  {
    method: 'POST',
    shape: ['servicePrincipals', null, 'appRoleAssignments'],
    cmdlet: 'New-MgServicePrincipalAppRoleAssignment',
    ids: ['ServicePrincipalId'],
    body: ['principalId', 'resourceId', 'appRoleId'],
  },
  {
    method: 'DELETE',
    shape: ['servicePrincipals', null, 'appRoleAssignments', null],
    cmdlet: 'Remove-MgServicePrincipalAppRoleAssignment',
    ids: ['ServicePrincipalId', 'AppRoleAssignmentId'],
    body: [],
  },
];

/** Switch parameters: `-AccountEnabled` sets true, `-AccountEnabled:$false` false. */
const SWITCHES = new Set(['accountEnabled']);
/** Byte[] members of a keyCredential (Key, CustomKeyIdentifier): the cmdlets take bytes, Graph's JSON carries base64. */
export const KEY_BYTES = new Set(['key', 'customKeyIdentifier']);

type Segment = string | ValueRef;

/** The path's segments (an id decoded), or null when a segment mixes text and a named value, or has a query. */
function segments(path: GraphOperation['path']): Segment[] | null {
  const all: (string | ValueRef)[][] = [[]];
  for (const part of path) {
    if (isValueRef(part)) all[all.length - 1]?.push(part);
    else
      part.split('/').forEach((piece, index) => {
        if (index > 0) all.push([]);
        if (piece) all[all.length - 1]?.push(piece);
      });
  }
  const out: Segment[] = [];
  for (const pieces of all) {
    if (pieces.length === 0) continue;
    const [only] = pieces;
    if (pieces.length > 1 || only === undefined) return null;
    if (typeof only === 'string' && only.includes('?')) return null;
    out.push(typeof only === 'string' ? decodeURIComponent(only) : only);
  }
  return out;
}

function matches(route: Route, op: GraphOperation, path: readonly Segment[]): boolean {
  if (route.method !== op.method || route.shape.length !== path.length) return false;
  return route.shape.every((name, index) => (name === null ? true : path[index] === name));
}

/** `keyCredentials` → `KeyCredentials`: the SDK's parameter and property names. */
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

function literal(value: string | ValueRef): string {
  return isValueRef(value) ? `$${value.$value}.${value.field}` : quoteLiteral(value);
}

/**
 * A body value as the cmdlet takes it: hashtables whose keys are named by `name` (the SDK's property names for a
 * parameter, Graph's own in -BodyParameter; the SDK matches either), key bytes as bytes.
 */
function sdkValue(value: GraphBody, shown: Shown, name: (key: string) => string, bytes = false): string {
  if (isValueRef(value)) return literal(value);
  // An exported certificate's FileData is already byte[]; a key read from Graph is its base64 text.
  if (typeof value === 'string')
    return bytes ? `[System.Convert]::FromBase64String(${quoteLiteral(shown(value))})` : literal(value);
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') return String(value);
  if (value === null) return '$null';
  if (Array.isArray(value)) return `@(${value.map((item) => sdkValue(item, shown, name)).join(', ')})`;
  const members = Object.entries(value as Record<string, GraphBody>).map(
    ([key, item]) => `${hashKey(name(key))} = ${sdkValue(item, shown, name, KEY_BYTES.has(key))}`,
  );
  return `@{${members.join('; ')}}`;
}

/** A hashtable key: bare when it is a plain name, quoted otherwise. */
const hashKey = (key: string) => (/^[A-Za-z][A-Za-z0-9]*$/.test(key) ? key : quoteLiteral(key));

function hasEmptyArray(value: GraphBody): boolean {
  if (Array.isArray(value)) return value.length === 0 || value.some(hasEmptyArray);
  if (value === null || typeof value !== 'object' || isValueRef(value)) return false;
  return Object.values(value as Record<string, GraphBody>).some(hasEmptyArray);
}

function bodyParameters(route: Route, body: GraphBody, shown: Shown): string[] | null {
  if (body === null) return [];
  if (typeof body !== 'object' || Array.isArray(body) || isValueRef(body)) return null;
  const entries = Object.entries(body as Record<string, GraphBody>);
  if (!entries.every(([key]) => route.body.includes(key))) {
    return route.body.length === 0 ? null : [`-BodyParameter ${sdkValue(body, shown, (key) => key)}`];
  }
  return entries.map(([key, value]) => {
    if (SWITCHES.has(key) && typeof value === 'boolean')
      return value ? `-${pascal(key)}` : `-${pascal(key)}:$false`;
    return `-${pascal(key)} ${sdkValue(value, shown, pascal)}`;
  });
}

/**
 * The named cmdlet line for a Graph request (`$name = ` first when it binds its output), or null when no cmdlet
 * here sends exactly that request.
 */
export function graphCmdlet(op: GraphOperation, shown: Shown): string | null {
  const path = segments(op.path);
  const route = path && ROUTES.find((candidate) => matches(candidate, op, path));
  if (!path || !route) return null;
  // Releases of the cmdlets have left an empty array out of the body they send (msgraph-sdk-powershell#3240,
  // #3273): a PATCH that empties a collection could then change nothing, so it stays a raw request.
  if (hasEmptyArray(op.body)) return null;
  const params = bodyParameters(route, op.body, shown);
  if (params === null) return null;
  const ids = path.filter((_, index) => route.shape[index] === null);
  const idParams = route.ids.map((name, index) => `-${name} ${literal(ids[index] ?? '')}`);
  const line = [route.cmdlet, ...idParams, ...params].join(' ');
  return op.bind ? `$${op.bind} = ${line}` : line;
}

/** The scopes to pass to Connect-MgGraph for a plan's Graph requests. */
export function graphScopes(ops: readonly GraphOperation[]): string[] {
  const scopes = ['Application.ReadWrite.All'];
  const grants = ops.some((op) =>
    op.path.some((part) => typeof part === 'string' && part.includes('appRoleAssignments')),
  );
  // Granting an app role needs AppRoleAssignment.ReadWrite.All (Graph: "Grant an appRoleAssignment to a service principal").
  if (grants) scopes.push('AppRoleAssignment.ReadWrite.All');
  return scopes;
}
