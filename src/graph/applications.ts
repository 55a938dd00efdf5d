/** Applications through Graph: find by display name, create single tenant, add permissions, upload a key. */
import type {
  Application,
  ApplicationKeyUploadResult,
  AuthCertificate,
  Ensured,
  NewApplication,
  RequiredResourceAccess,
} from '../core/entra';
import { sameText } from '../core/text';
import { GraphError } from './errors';
import { type KeyHolder, uploadKey } from './key-holders';
import { parseApplication, parseApplications, parseKeyCredentials } from './parse';
import { type GraphRequests, odataString } from './requests';

/** The properties every application read asks for. */
export const APP_SELECT = 'id,appId,displayName,signInAudience,keyCredentials,requiredResourceAccess';

/** The application with this display name, or null; several with it is GRAPH_AMBIGUOUS_APPLICATION. */
export async function findApplication(
  requests: GraphRequests,
  displayName: string,
): Promise<Application | null> {
  const body = await requests.get('/applications', {
    $filter: `displayName eq ${odataString(displayName)}`,
    $select: APP_SELECT,
  });
  return onlyApplication(parseApplications(body), displayName);
}

/** The one application a display-name search found, or null; several is GRAPH_AMBIGUOUS_APPLICATION. */
export function onlyApplication(apps: readonly Application[], displayName: string): Application | null {
  if (apps.length > 1) {
    throw new GraphError(
      'GRAPH_AMBIGUOUS_APPLICATION',
      `${apps.length} applications are named ${displayName} (appIds ${apps.map((app) => app.appId).join(', ')}); keep one and delete the others.`,
      { status: 0, graphCode: null },
    );
  }
  return apps[0] ?? null;
}

/** Creates a single-tenant application (POST /applications → 201). */
export async function createApplication(requests: GraphRequests, spec: NewApplication): Promise<Application> {
  return parseApplication(
    await requests.post('/applications', {
      displayName: spec.displayName,
      signInAudience: 'AzureADMyOrg',
      ...(spec.description === undefined ? {} : { description: spec.description }),
      ...(spec.notes === undefined ? {} : { notes: spec.notes }),
    }),
  );
}

/** The application with this appId (by Graph's alternate key), or GRAPH_APPLICATION_NOT_FOUND. */
export async function readApplication(requests: GraphRequests, appId: string): Promise<Application> {
  try {
    return parseApplication(
      await requests.get(`/applications(appId=${odataString(appId)})`, { $select: APP_SELECT }),
    );
  } catch (error) {
    if (error instanceof GraphError && error.status === 404) {
      throw new GraphError('GRAPH_APPLICATION_NOT_FOUND', `No application has appId ${appId}.`, {
        status: 404,
        graphCode: error.graphCode,
        cause: error,
      });
    }
    throw error;
  }
}

/** `access` merged into `current`: other APIs kept, missing permissions of this API added; null when none is missing. */
export function mergeRequiredResourceAccess(
  current: readonly RequiredResourceAccess[],
  access: RequiredResourceAccess,
): RequiredResourceAccess[] | null {
  const existing = current.find((entry) => sameText(entry.resourceAppId, access.resourceAppId));
  const missing = access.resourceAccess.filter(
    (wanted) =>
      !existing?.resourceAccess.some((have) => sameText(have.id, wanted.id) && have.type === wanted.type),
  );
  if (missing.length === 0) return null;
  if (!existing) return [...current, { resourceAppId: access.resourceAppId, resourceAccess: [...missing] }];
  return current.map((entry) =>
    entry === existing ? { ...entry, resourceAccess: [...entry.resourceAccess, ...missing] } : entry,
  );
}

/** Adds the permissions to requiredResourceAccess (PATCH of the whole list); nothing is sent when all are there. */
export async function addRequiredResourceAccess(
  requests: GraphRequests,
  appId: string,
  access: RequiredResourceAccess,
): Promise<Ensured<Application>> {
  const app = await readApplication(requests, appId);
  const merged = mergeRequiredResourceAccess(app.requiredResourceAccess, access);
  if (merged === null) return { change: 'none', value: app };
  await requests.patch(`/applications/${encodeURIComponent(app.id)}`, { requiredResourceAccess: merged });
  return { change: 'update', value: await readApplication(requests, appId) };
}

/** Uploads the certificate to the application's keyCredentials with the service principals' logic. */
export async function uploadApplicationCertificate(
  requests: GraphRequests,
  appId: string,
  certificate: AuthCertificate,
  now: Date,
): Promise<ApplicationKeyUploadResult> {
  const app = await readApplication(requests, appId);
  const path = `/applications/${encodeURIComponent(app.id)}`;
  const holder: KeyHolder = {
    listed: app.keyCredentials,
    readKeys: async () => parseKeyCredentials(await requests.get(path, { $select: 'keyCredentials' })),
    writeKeys: (body) => requests.patch(path, body),
  };
  const outcome = await uploadKey(holder, certificate, now);
  const application = outcome.written
    ? await readApplication(requests, appId)
    : { ...app, keyCredentials: outcome.keys };
  return { ...outcome.plan, application };
}
