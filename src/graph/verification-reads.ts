/**
 * What a verification reads from Entra, in one `$batch`: the service principals by appId and the dedicated Exchange
 * hybrid application (found by display name), its service principal with the grants Graph expands on it, and the
 * appRoles of Office 365 Exchange Online that full_access_as_app is resolved from. Two rare cases cost more requests:
 * a service principal renamed away from its application's name, and more grants than Graph expands.
 */
import type {
  AppRoleAssignment,
  DedicatedAppReading,
  ResolvedAppRole,
  ServicePrincipal,
  VerificationDirectory,
} from '../core/entra';
import { sameText } from '../core/text';
import {
  APP_ROLES_SELECT,
  grantsRole,
  listAppRoleAssignments,
  principalByAppIdPath,
  resolveAppRole,
  resourceReadError,
} from './app-roles';
import { APP_SELECT, onlyApplication } from './applications';
import type { BatchAnswer, BatchItem } from './batch';
import { EXCHANGE_ONLINE_RESOURCE, FULL_ACCESS_AS_APP } from './dedicated-app';
import { fromGraphBody, GraphError } from './errors';
import { parseApplications, parsePrincipalsWithGrants, parseServicePrincipal } from './parse';
import { type GraphRequests, odataString } from './requests';

/** The properties every service principal read asks for. */
export const SP_SELECT = 'id,appId,displayName,servicePrincipalNames,keyCredentials';

/** Graph expands at most 20 objects of a directory object's relationship, and gives no nextLink for more. */
export const GRAPH_EXPAND_LIMIT = 20;

/** Sends GETs as `$batch` requests and returns every final answer by id. */
export type SendBatch = (items: readonly BatchItem[]) => Promise<Map<string, BatchAnswer>>;

const ITEM = { application: 'application', principal: 'application-principal', role: 'full-access-role' };

/**
 * One GET per service principal, as one object (`/servicePrincipals(appId='…')`) so its keys come with their bytes,
 * as a plan that keeps them in a keyCredentials PATCH needs. Their ids are `1`, `2`, … in the order of `appIds`.
 */
export function principalItems(appIds: readonly string[]): BatchItem[] {
  return appIds.map((appId, index) => ({
    id: String(index + 1),
    method: 'GET',
    url: `/servicePrincipals(appId=${encodeURIComponent(odataString(appId))})?$select=${SP_SELECT}`,
  }));
}

/** The service principals `principalItems` asked for: null on 404, any other failure thrown as a GraphError. */
export function principalsFrom(
  appIds: readonly string[],
  answers: ReadonlyMap<string, BatchAnswer>,
): Record<string, ServicePrincipal | null> {
  const result: Record<string, ServicePrincipal | null> = {};
  appIds.forEach((appId, index) => {
    const answer = answers.get(String(index + 1));
    result[appId] = answer?.status === 404 ? null : parseServicePrincipal(okBody(answer));
  });
  return result;
}

function dedicatedAppItems(name: string): BatchItem[] {
  const byName = encodeURIComponent(`displayName eq ${odataString(name)}`);
  return [
    { id: ITEM.application, method: 'GET', url: `/applications?$filter=${byName}&$select=${APP_SELECT}` },
    {
      id: ITEM.principal,
      method: 'GET',
      url: `/servicePrincipals?$filter=${byName}&$select=id,appId,displayName&$expand=appRoleAssignments`,
    },
    {
      id: ITEM.role,
      method: 'GET',
      url: `${principalByAppIdPath(EXCHANGE_ONLINE_RESOURCE)}?$select=${APP_ROLES_SELECT}`,
    },
  ];
}

/** Reads the service principals and, when named, the dedicated application: one `$batch` in the common case. */
export async function readVerificationDirectory(
  requests: GraphRequests,
  sendBatch: SendBatch,
  appIds: readonly string[],
  dedicatedAppName: string | null,
): Promise<VerificationDirectory> {
  const unique = [...new Set(appIds)];
  const items = [...principalItems(unique), ...(dedicatedAppName ? dedicatedAppItems(dedicatedAppName) : [])];
  const answers = await sendBatch(items);
  const principals = principalsFrom(unique, answers);
  if (!dedicatedAppName) return { principals, dedicatedApp: null };
  try {
    return { principals, dedicatedApp: await dedicatedAppFrom(requests, answers, dedicatedAppName) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { principals, dedicatedApp: { ...NO_APPLICATION, error: message } };
  }
}

const NO_APPLICATION: DedicatedAppReading = {
  application: null,
  principalId: null,
  role: null,
  granted: false,
  error: null,
};

async function dedicatedAppFrom(
  requests: GraphRequests,
  answers: ReadonlyMap<string, BatchAnswer>,
  name: string,
): Promise<DedicatedAppReading> {
  const application = onlyApplication(parseApplications(okBody(answers.get(ITEM.application))), name);
  if (!application) return NO_APPLICATION;
  const role = fullAccessRole(answers.get(ITEM.role));
  const listed = parsePrincipalsWithGrants(okBody(answers.get(ITEM.principal))).find((sp) =>
    sameText(sp.appId, application.appId),
  );
  // Renamed away from the application's name: found by its appId instead.
  const principalId = listed ? listed.id : await principalIdOf(requests, application.appId);
  const grants = (assignments: readonly AppRoleAssignment[]) =>
    role !== null && assignments.some((a) => grantsRole(a, role));
  const expandedAll = listed !== undefined && listed.appRoleAssignments.length < GRAPH_EXPAND_LIMIT;
  let granted = grants(listed?.appRoleAssignments ?? []);
  if (!granted && !expandedAll && role !== null && principalId !== null)
    granted = grants(await listAppRoleAssignments(requests, principalId));
  return { application, principalId, role, granted, error: null };
}

function fullAccessRole(answer: BatchAnswer | undefined): ResolvedAppRole | null {
  try {
    return resolveAppRole(okBody(answer), FULL_ACCESS_AS_APP);
  } catch (error) {
    throw resourceReadError(EXCHANGE_ONLINE_RESOURCE, error);
  }
}

/** The object id of the application's service principal, by appId; null when it has none. */
async function principalIdOf(requests: GraphRequests, appId: string): Promise<string | null> {
  try {
    const body = await requests.get(principalByAppIdPath(appId), { $select: 'id' });
    const id = (body as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id !== '' ? id : null;
  } catch (error) {
    if (error instanceof GraphError && error.status === 404) return null;
    throw error;
  }
}

/** An inner answer's body when it succeeded; otherwise Graph's error, as a GraphError with its status. */
function okBody(answer: BatchAnswer | undefined): unknown {
  if (answer !== undefined && answer.status >= 200 && answer.status < 300) return answer.body;
  throw fromGraphBody(answer?.status ?? 500, answer?.body);
}
