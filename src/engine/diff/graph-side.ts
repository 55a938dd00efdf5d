/** Diffs for the Entra side: the auth certificate's key on a service principal, and a service principal name. */

import type { AuthCertificate, KeyUploadPlan } from '../../core/entra';
import { planKeyUpload } from '../../graph/key-upload';
import type {
  ExportAuthCertificateStep,
  ServicePrincipalNameStep,
  UploadAuthCertificateStep,
} from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import { exportCommand, type Snapshot } from '../snapshot';

export function diffExportAuthCertificate(
  _step: ExportAuthCertificateStep,
  snap: Snapshot,
  now: Date,
): StepDiff {
  const certificate = snap.authCertificate;
  if (!certificate) {
    return {
      change: 'none',
      actions: [],
      detail: snap.authCertificateProblem ?? 'No auth certificate.',
      warnings: [snap.authCertificateProblem ?? 'No auth certificate to export.'],
    };
  }
  const expired = new Date(certificate.notAfter) <= now;
  return {
    change: 'none',
    actions: [],
    detail: `Auth certificate ${certificate.thumbprint} (${certificate.subject}), valid ${certificate.notBefore} to ${certificate.notAfter}.`,
    warnings: expired
      ? [`The auth certificate expired on ${certificate.notAfter}; renew it before uploading.`]
      : [],
    readCommand: exportCommand(certificate.thumbprint),
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
    return {
      change: 'none',
      actions: [],
      detail: 'No auth certificate to upload.',
      warnings: [snap.authCertificateProblem ?? 'No auth certificate.'],
    };
  }
  if (!principal) {
    return {
      change: 'none',
      actions: [],
      detail: `The tenant has no service principal for ${step.appName} (${step.appId}).`,
      warnings: [`Service principal ${step.appId} is missing from the tenant; the key cannot be uploaded.`],
    };
  }
  const upload = planKeyUpload(principal.keyCredentials, certificate, now);
  if (upload.change === 'none') {
    return { change: 'none', actions: [], detail: upload.reason, warnings: [] };
  }
  return keyUploadDiff(step.appId, principal.id, certificate, upload);
}

/** The diff that uploads the certificate's key as planned: keep the unexpired keys, drop the expired, add it. */
export function keyUploadDiff(
  appId: string,
  servicePrincipalId: string,
  certificate: AuthCertificate,
  upload: KeyUploadPlan,
): StepDiff {
  const parts = [
    `keep ${upload.keep.length} unexpired key${upload.keep.length === 1 ? '' : 's'}`,
    ...(upload.drop.length > 0 ? [`drop ${upload.drop.length} expired`] : []),
    `add ${certificate.subject} (thumbprint ${certificate.thumbprint}, ${certificate.notBefore} to ${certificate.notAfter})`,
  ];
  return {
    change: upload.change,
    actions: [{ kind: 'uploadKey', appId, servicePrincipalId, certificate, summary: parts.join(', ') }],
    detail: upload.reason,
    warnings: [],
  };
}

export function diffServicePrincipalName(step: ServicePrincipalNameStep, snap: Snapshot): StepDiff {
  const principal = snap.servicePrincipals.get(step.appId);
  if (!principal) {
    return {
      change: 'none',
      actions: [],
      detail: `The tenant has no service principal ${step.appId}.`,
      warnings: [`Service principal ${step.appId} is missing from the tenant.`],
    };
  }
  const names = principal.servicePrincipalNames;
  if (names.some((name) => name.toLowerCase() === step.servicePrincipalName.toLowerCase())) {
    return {
      change: 'none',
      actions: [],
      detail: `${step.servicePrincipalName} is registered.`,
      warnings: [],
    };
  }
  return {
    change: 'update',
    actions: [
      {
        kind: 'setServicePrincipalNames',
        appId: step.appId,
        servicePrincipalId: principal.id,
        names: [...names, step.servicePrincipalName],
        added: step.servicePrincipalName,
      },
    ],
    detail: `${step.servicePrincipalName} is not among the ${names.length} names of ${principal.displayName}.`,
    warnings: [],
  };
}
