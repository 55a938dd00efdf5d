/** Diffs for the Entra side: the auth certificate's key on a service principal, and a service principal name. */

import type { KeyUploadPlan } from '../../core/entra';
import { planKeyUpload } from '../../graph/key-upload';
import type {
  ExportAuthCertificateStep,
  ServicePrincipalNameStep,
  UploadAuthCertificateStep,
} from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { Snapshot } from '../snapshot';
import {
  exportOp,
  type KeyHolderCollection,
  keyCredentialsPatch,
  none,
  servicePrincipalPatch,
} from './operations';

/** The name the exported auth certificate is bound to: its DER bytes are `$authCertificate.FileData`. */
export const AUTH_CERTIFICATE = 'authCertificate';

export function diffExportAuthCertificate(
  _step: ExportAuthCertificateStep,
  snap: Snapshot,
  now: Date,
): StepDiff {
  const certificate = snap.authCertificate;
  if (!certificate) {
    const problem = snap.authCertificateProblem ?? 'No auth certificate.';
    return none(problem, [snap.authCertificateProblem ?? 'No auth certificate to export.']);
  }
  const expired = new Date(certificate.notAfter) <= now;
  return {
    ...none(
      `Auth certificate ${certificate.thumbprint} (${certificate.subject}), valid ${certificate.notBefore} to ${certificate.notAfter}.`,
      expired ? [`The auth certificate expired on ${certificate.notAfter}; renew it before uploading.`] : [],
    ),
    // Exported once, here, when an upload needs its bytes.
    offers: [exportOp(AUTH_CERTIFICATE, certificate.thumbprint)],
  };
}

export function diffUploadAuthCertificate(
  step: UploadAuthCertificateStep,
  snap: Snapshot,
  now: Date,
): StepDiff {
  const certificate = snap.authCertificate;
  const principal = snap.servicePrincipals.get(step.appId);
  if (!certificate) {
    return none('No auth certificate to upload.', [snap.authCertificateProblem ?? 'No auth certificate.']);
  }
  if (!principal) {
    return none(`The tenant has no service principal for ${step.appName} (${step.appId}).`, [
      `Service principal ${step.appId} is missing from the tenant; the key cannot be uploaded.`,
    ]);
  }
  const upload = planKeyUpload(principal.keyCredentials, certificate, now);
  if (upload.change === 'none') return none(upload.reason);
  return {
    ...keyUploadDiff(principal.id, upload, AUTH_CERTIFICATE),
    offers: [exportOp(AUTH_CERTIFICATE, certificate.thumbprint)],
  };
}

/** The diff that uploads the exported certificate (`$exported.FileData`) as planned: keep the unexpired keys, drop the expired, add it. */
export function keyUploadDiff(
  servicePrincipalId: string,
  upload: Pick<KeyUploadPlan, 'change' | 'keep' | 'reason'>,
  exported: string,
  collection: KeyHolderCollection = 'servicePrincipals',
): StepDiff {
  return {
    change: upload.change === 'none' ? 'update' : upload.change,
    operations: [keyCredentialsPatch(servicePrincipalId, upload.keep, exported, collection)],
    detail: upload.reason,
    warnings: [],
  };
}

export function diffServicePrincipalName(step: ServicePrincipalNameStep, snap: Snapshot): StepDiff {
  const principal = snap.servicePrincipals.get(step.appId);
  if (!principal) {
    return none(`The tenant has no service principal ${step.appId}.`, [
      `Service principal ${step.appId} is missing from the tenant.`,
    ]);
  }
  const names = principal.servicePrincipalNames;
  const has = (wanted: string) => names.some((name) => name.toLowerCase() === wanted.toLowerCase());
  const missing = step.servicePrincipalNames.filter((wanted) => !has(wanted));
  if (missing.length === 0) return none(`${step.servicePrincipalNames.join(', ')} registered.`);
  return {
    change: 'update',
    // Graph replaces the whole list: every name it has goes back with the new ones.
    operations: [servicePrincipalPatch(principal.id, { servicePrincipalNames: [...names, ...missing] })],
    detail: `${missing.join(', ')} not among the ${names.length} names of ${principal.displayName}.`,
    warnings: [],
  };
}
