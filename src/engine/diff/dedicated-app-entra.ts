/**
 * Diffs for the dedicated hybrid application in Entra: the application, its service principal, its permission,
 * the consent and its keys. A part made by this plan is referred to by name (`$hybridApp.appId`,
 * `$hybridAppPrincipal.id`) and filled in at run time from what the request that made it answered.
 */
import type { KeyCredential } from '../../core/entra';
import { type GraphBody, type GraphOperation, type ValueRef, valueRef } from '../../core/plan';
import {
  EXCHANGE_ONLINE_RESOURCE,
  FULL_ACCESS_AS_APP,
  HYBRID_APP_NOTES,
  HYBRID_APP_TAGS,
  hasPermission,
} from '../../graph/dedicated-app';
import { keptKeyCredential } from '../../graph/key-upload';
import type { HybridApplicationStep } from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { Snapshot } from '../snapshot';
import { AUTH_CERTIFICATE } from './graph-side';
import { exportOp, none } from './operations';

/** The names the new application and its service principal are bound to. */
export const HYBRID_APP = 'hybridApp';
export const HYBRID_APP_PRINCIPAL = 'hybridAppPrincipal';
/** The exported next auth certificate (`$nextAuthCertificate.FileData`). */
export const NEXT_AUTH_CERTIFICATE = 'nextAuthCertificate';

function graphOp(
  method: GraphOperation['method'],
  path: readonly (string | ValueRef)[],
  body: GraphBody,
  bind?: string,
): GraphOperation {
  return bind ? { kind: 'graph', method, path, body, bind } : { kind: 'graph', method, path, body };
}

/** The application's object id, or the reference to the one this plan creates. */
function applicationPath(snap: Snapshot, tail = ''): (string | ValueRef)[] {
  const app = snap.dedicatedApp?.application;
  return app
    ? [`/applications/${encodeURIComponent(app.id)}${tail}`]
    : ['/applications/', valueRef(HYBRID_APP, 'id'), ...(tail ? [tail] : [])];
}

function principalId(snap: Snapshot): string | ValueRef {
  return snap.dedicatedApp?.servicePrincipal?.id ?? valueRef(HYBRID_APP_PRINCIPAL, 'id');
}

/** One part of the dedicated application. */
export function diffHybridApplication(step: HybridApplicationStep, snap: Snapshot, now: Date): StepDiff {
  const state = snap.dedicatedApp;
  if (!state) {
    return none('The organization GUID could not be read, so the application cannot be looked for.', [
      'Get-OrganizationConfig returned no Guid.',
    ]);
  }
  switch (step.part) {
    case 'application':
      return diffApplication(snap);
    case 'servicePrincipal':
      return diffPrincipal(snap);
    case 'permission':
      return diffPermission(snap);
    case 'consent':
      return diffConsent(snap);
    case 'keys':
      return diffKeys(snap, now);
  }
}

function diffApplication(snap: Snapshot): StepDiff {
  const { displayName, application } = snap.dedicatedApp ?? { displayName: '', application: null };
  if (application) {
    const single = application.signInAudience === 'AzureADMyOrg';
    return {
      ...none(
        `${displayName} exists (appId ${application.appId}).`,
        single ? [] : [`${displayName} is ${application.signInAudience}, not single tenant (AzureADMyOrg).`],
      ),
      found: { [HYBRID_APP]: { id: application.id, appId: application.appId } },
    };
  }
  return {
    change: 'create',
    operations: [
      graphOp(
        'POST',
        ['/applications'],
        { displayName, signInAudience: 'AzureADMyOrg', notes: HYBRID_APP_NOTES },
        HYBRID_APP,
      ),
    ],
    detail: `No application ${displayName} yet.`,
    warnings: [],
  };
}

function diffPrincipal(snap: Snapshot): StepDiff {
  const state = snap.dedicatedApp;
  const principal = state?.servicePrincipal;
  if (principal) {
    return {
      ...none(`Service principal ${principal.id} exists.`),
      found: { [HYBRID_APP_PRINCIPAL]: { id: principal.id } },
    };
  }
  const appId = state?.application?.appId ?? valueRef(HYBRID_APP, 'appId');
  return {
    change: 'create',
    operations: [
      graphOp('POST', ['/servicePrincipals'], { appId, accountEnabled: true }, HYBRID_APP_PRINCIPAL),
      // As the script does: the tags in a second request.
      graphOp('PATCH', ['/servicePrincipals/', valueRef(HYBRID_APP_PRINCIPAL, 'id')], {
        tags: [...HYBRID_APP_TAGS],
      }),
    ],
    detail: `No service principal for ${state?.displayName ?? 'the application'} yet.`,
    warnings: [],
  };
}

function missingRole(): StepDiff {
  return none(`Office 365 Exchange Online defines no ${FULL_ACCESS_AS_APP} application permission.`, [
    `The Exchange Online service principal (${EXCHANGE_ONLINE_RESOURCE}) has no enabled ${FULL_ACCESS_AS_APP} app role for applications.`,
  ]);
}

function diffPermission(snap: Snapshot): StepDiff {
  const { application, fullAccess } = snap.dedicatedApp ?? { application: null, fullAccess: null };
  if (!fullAccess) return missingRole();
  if (application && hasPermission(application, fullAccess)) {
    return none(`${FULL_ACCESS_AS_APP} (${fullAccess.appRoleId}) is among the application's permissions.`);
  }
  const wanted = { id: fullAccess.appRoleId, type: 'Role' as const };
  const current = application?.requiredResourceAccess ?? [];
  const existing = current.find((entry) => entry.resourceAppId === fullAccess.resourceAppId);
  // Graph replaces the whole list: other APIs' permissions go back as they are.
  const merged = existing
    ? current.map((entry) =>
        entry === existing ? { ...entry, resourceAccess: [...entry.resourceAccess, wanted] } : entry,
      )
    : [...current, { resourceAppId: fullAccess.resourceAppId, resourceAccess: [wanted] }];
  return {
    change: application ? 'update' : 'create',
    operations: [
      graphOp('PATCH', applicationPath(snap), {
        requiredResourceAccess: merged.map((entry) => ({
          resourceAppId: entry.resourceAppId,
          resourceAccess: entry.resourceAccess.map((access) => ({ id: access.id, type: access.type })),
        })),
      }),
    ],
    detail: `The application does not ask for ${FULL_ACCESS_AS_APP} (app role ${fullAccess.appRoleId} of ${fullAccess.resourceAppId}).`,
    warnings: [],
  };
}

function diffConsent(snap: Snapshot): StepDiff {
  const { fullAccess, consent } = snap.dedicatedApp ?? { fullAccess: null, consent: null };
  if (!fullAccess) return missingRole();
  if (consent) return none(`${FULL_ACCESS_AS_APP} was granted on ${consent.createdDateTime}.`);
  const principal = principalId(snap);
  return {
    change: 'create',
    operations: [
      graphOp('POST', ['/servicePrincipals/', principal, '/appRoleAssignments'], {
        principalId: principal,
        resourceId: fullAccess.resourceId,
        appRoleId: fullAccess.appRoleId,
      }),
    ],
    detail: `${FULL_ACCESS_AS_APP} is not granted to the application's service principal.`,
    warnings: [],
  };
}

/** The current and next auth certificates the application must hold, with the name each export binds. */
function wantedCertificates(snap: Snapshot): { thumbprint: string; bind: string }[] {
  const wanted: { thumbprint: string; bind: string }[] = [];
  if (snap.authCertificate)
    wanted.push({ thumbprint: snap.authCertificate.thumbprint, bind: AUTH_CERTIFICATE });
  const next = snap.rotation?.nextThumbprint;
  if (next && snap.rotation?.certificates.some((cert) => cert.thumbprint === next))
    wanted.push({ thumbprint: next, bind: NEXT_AUTH_CERTIFICATE });
  return wanted;
}

function diffKeys(snap: Snapshot, now: Date): StepDiff {
  const keys: readonly KeyCredential[] = snap.dedicatedApp?.application?.keyCredentials ?? [];
  const wanted = wantedCertificates(snap);
  if (wanted.length === 0)
    return none('No auth certificate to upload.', [snap.authCertificateProblem ?? 'No auth certificate.']);
  const present = (thumbprint: string) =>
    keys.some((key) => (key.customKeyIdentifier ?? '').toUpperCase() === thumbprint);
  const missing = wanted.filter((cert) => !present(cert.thumbprint));
  if (missing.length === 0) {
    return none(`The application holds ${wanted.map((cert) => cert.thumbprint).join(' and ')}.`);
  }
  // Like the script: unexpired keys kept (with their bytes), expired ones dropped, a present thumbprint skipped.
  const kept = keys.filter((key) => Date.parse(key.endDateTime) >= now.getTime());
  const added: GraphBody[] = missing.map((cert) => ({
    type: 'AsymmetricX509Cert',
    usage: 'Verify',
    key: valueRef(cert.bind, 'FileData'),
  }));
  return {
    change: keys.length === 0 ? 'create' : 'update',
    operations: [
      graphOp('PATCH', applicationPath(snap), {
        keyCredentials: [...kept.map((key) => ({ ...keptKeyCredential(key) }) as GraphBody), ...added],
      }),
    ],
    offers: missing.map((cert) => exportOp(cert.bind, cert.thumbprint)),
    detail:
      `Adding ${missing.map((cert) => cert.thumbprint).join(' and ')}; keeping ${kept.length} unexpired key(s), ` +
      `dropping ${keys.length - kept.length} expired.`,
    warnings: [],
  };
}
