/** The lab's `/v1.0/servicePrincipals` resource: list with `$filter`, get, and PATCH, with Graph's read semantics. */
import type { LabServicePrincipal, LabState } from '../state';
import { GraphFault, type LabResponse } from './http';
import { acceptKeyCredentials } from './key-credentials';
import { parseFilter, parseSelect, type SpProperty } from './odata';

/** One Graph call, top-level or inside `$batch`; `path` is relative to `/v1.0`. */
export interface LabGraphRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface ResourceContext {
  readonly state: LabState;
  /** Saves the state; called before a mutation is answered. */
  readonly persist: () => void;
}

const CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals';
const BY_ID = /^\/servicePrincipals\/([^/()]+)$/i;
const BY_APP_ID = /^\/servicePrincipals\(appId='([^']+)'\)$/i;

/** Routes one request to the servicePrincipals resource; throws GraphFault for Graph's error answers. */
export function handleGraphRequest(ctx: ResourceContext, req: LabGraphRequest): LabResponse {
  const path = decodePath(req.path);
  if (/^\/servicePrincipals\/?$/i.test(path)) {
    if (req.method !== 'GET') throw methodNotAllowed();
    return list(ctx.state, req.query);
  }
  const byId = BY_ID.exec(path);
  const byAppId = BY_APP_ID.exec(path);
  if (byId === null && byAppId === null) {
    const segment = path.split('/').filter(Boolean)[0] ?? '';
    throw new GraphFault(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  }
  const key = (byId?.[1] ?? byAppId?.[1] ?? '').toLowerCase();
  const sp = ctx.state.tenant.servicePrincipals.find((s) =>
    byId !== null ? s.id.toLowerCase() === key : s.appId.toLowerCase() === key,
  );
  if (sp === undefined) {
    throw new GraphFault(
      404,
      'Request_ResourceNotFound',
      `Resource '${byId?.[1] ?? byAppId?.[1]}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  if (req.method === 'GET') return getOne(sp, req.query);
  if (req.method === 'PATCH') return patch(ctx, sp, req.body);
  throw methodNotAllowed();
}

function list(state: LabState, query: URLSearchParams): LabResponse {
  const matches = parseFilter(query.get('$filter'));
  const select = parseSelect(query.get('$select'));
  const value = state.tenant.servicePrincipals.filter(matches).map((sp) => project(sp, select, false));
  return { status: 200, body: { '@odata.context': contextUrl(query, ''), value } };
}

function getOne(sp: LabServicePrincipal, query: URLSearchParams): LabResponse {
  const select = parseSelect(query.get('$select'));
  // Per the keyCredential docs, `key` comes back only for a single object read with an explicit $select.
  const withKeys = query.get('$select') !== null && select.includes('keyCredentials');
  return {
    status: 200,
    body: { '@odata.context': contextUrl(query, '/$entity'), ...project(sp, select, withKeys) },
  };
}

function patch(ctx: ResourceContext, sp: LabServicePrincipal, body: unknown): LabResponse {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GraphFault(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  let updated: LabServicePrincipal = sp;
  for (const [name, value] of Object.entries(body)) {
    if (name === 'keyCredentials') updated = { ...updated, keyCredentials: acceptKeyCredentials(value) };
    else if (name === 'servicePrincipalNames')
      updated = { ...updated, servicePrincipalNames: acceptNames(value) };
    else if (name === 'displayName' && typeof value === 'string')
      updated = { ...updated, displayName: value };
    else if (name !== '@odata.type') {
      throw new GraphFault(
        400,
        'BadRequest',
        `The property '${name}' does not exist on type 'microsoft.graph.servicePrincipal' or cannot be updated in the lab.`,
      );
    }
  }
  const list = ctx.state.tenant.servicePrincipals;
  list[list.indexOf(sp)] = updated;
  ctx.persist();
  return { status: 204 };
}

function acceptNames(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new GraphFault(
      400,
      'BadRequest',
      "The property 'servicePrincipalNames' must be a collection of strings.",
    );
  }
  return [...value];
}

function project(
  sp: LabServicePrincipal,
  select: readonly SpProperty[],
  withKeys: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of select) {
    if (property === 'keyCredentials') {
      out.keyCredentials = sp.keyCredentials.map((k) => ({
        customKeyIdentifier: k.customKeyIdentifier,
        displayName: k.displayName,
        endDateTime: k.endDateTime,
        key: withKeys ? k.key : null,
        keyId: k.keyId,
        startDateTime: k.startDateTime,
        type: k.type,
        usage: k.usage,
      }));
    } else if (property === 'servicePrincipalNames') {
      out.servicePrincipalNames = [...sp.servicePrincipalNames];
    } else {
      out[property] = sp[property];
    }
  }
  return out;
}

function contextUrl(query: URLSearchParams, suffix: string): string {
  const select = query.get('$select');
  return select === null ? `${CONTEXT}${suffix}` : `${CONTEXT}(${select})${suffix}`;
}

function methodNotAllowed(): GraphFault {
  return new GraphFault(
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
  );
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new GraphFault(400, 'BadRequest', `The request URI '${path}' is not valid.`);
  }
}
