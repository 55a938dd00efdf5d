/**
 * The rotation's key uploads: the new (else current) certificate's key on every service principal the org's
 * integration uses and on the dedicated Exchange hybrid application, unexpired keys kept, before it takes effect.
 */
import type { KeyCredential } from '../../core/entra';
import { valueRef } from '../../core/plan';
import { planKeyUpload } from '../../graph/key-upload';
import type {
  UploadRotatedAuthCertificateStep,
  UploadRotatedHybridAppCertificateStep,
} from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { RotationView } from '../rotation-snapshot';
import type { Snapshot } from '../snapshot';
import { AUTH_CERTIFICATE, keyUploadDiff } from './graph-side';
import { exportOp, type KeyHolderCollection, keyCredentialsPatch, none } from './operations';
import {
  NEW_CERTIFICATE,
  NEW_CERTIFICATE_FILE,
  noView,
  renewalPending,
  waitingCertificate,
} from './rotation';

/** Where the key goes: a service principal or an application, by object id. */
interface KeyHolder {
  readonly id: string;
  readonly name: string;
  readonly keys: readonly KeyCredential[];
  readonly collection: KeyHolderCollection;
}

export function diffUploadRotatedAuthCertificate(
  step: UploadRotatedAuthCertificateStep,
  snap: Snapshot,
  now: Date,
): StepDiff {
  const view = snap.rotation;
  if (!view) return noView();
  const configured = (snap.partnerApplications ?? []).some(
    (app) => app.applicationIdentifier.toLowerCase() === step.appId,
  );
  if (!configured)
    return none(`No partner application uses ${step.appId}: not part of this org's integration.`);
  const principal = snap.servicePrincipals.get(step.appId);
  if (!principal)
    return none(`The tenant has no service principal ${step.appId}.`, [
      `Service principal ${step.appId} is missing.`,
    ]);
  const holder: KeyHolder = {
    id: principal.id,
    name: step.appName,
    keys: principal.keyCredentials,
    collection: 'servicePrincipals',
  };
  return rotatedKeyDiff(holder, view, now, step.renewWithinDays);
}

export function diffUploadRotatedHybridAppCertificate(
  step: UploadRotatedHybridAppCertificateStep,
  snap: Snapshot,
  now: Date,
): StepDiff {
  const view = snap.rotation;
  const found = snap.hybridApp;
  if (!view) return noView();
  if (!found || found.problem !== undefined)
    return none('The dedicated Exchange hybrid application was not looked for.', [
      found?.problem ?? 'The organization GUID was not read.',
    ]);
  const app = found.application;
  if (!app)
    return none(
      `The org has no dedicated Exchange hybrid application (${found.name}): its hybrid still uses the shared principal.`,
    );
  const holder: KeyHolder = {
    id: app.id,
    name: app.displayName,
    keys: app.keyCredentials,
    collection: 'applications',
  };
  return rotatedKeyDiff(holder, view, now, step.renewWithinDays);
}

/** The key a holder needs: the renewed certificate's while a renewal is under way, else the staged or current one's. */
function rotatedKeyDiff(holder: KeyHolder, view: RotationView, now: Date, renewWithinDays: number): StepDiff {
  if (renewalPending(view, now, renewWithinDays)) return newKeyUpload(holder, view, now);
  const certificate = view.uploadCertificate;
  if (!certificate)
    return none('No certificate to upload.', ['The certificate to upload is not on the server.']);
  const upload = planKeyUpload(holder.keys, certificate, now);
  if (upload.change === 'none') {
    // Once the previous certificate has expired its key goes too; the seed's upload only drops keys when adding one.
    const expired = holder.keys.filter((key) => Date.parse(key.endDateTime) < now.getTime());
    if (expired.length === 0) return none(upload.reason);
    const keep = holder.keys.filter((key) => !expired.includes(key));
    return {
      change: 'delete',
      operations: [keyCredentialsPatch(holder.id, keep, null, holder.collection)],
      detail: `${upload.reason} ${expired.length} expired key(s) are removed: ${expired.map((key) => key.customKeyIdentifier ?? key.keyId).join(', ')}.`,
      warnings: [],
    };
  }
  return {
    ...keyUploadDiff(holder.id, upload, AUTH_CERTIFICATE, holder.collection),
    offers: [exportOp(AUTH_CERTIFICATE, certificate.thumbprint)],
  };
}

/** The renewed certificate's key next to the unexpired ones: exported once (`$newCertificateFile`) for every upload. */
function newKeyUpload(holder: KeyHolder, view: RotationView, now: Date): StepDiff {
  const waiting = waitingCertificate(view, now);
  if (waiting) {
    const upload = planKeyUpload(holder.keys, waiting, now);
    if (upload.change === 'none') return none(upload.reason);
    return {
      ...keyUploadDiff(holder.id, upload, NEW_CERTIFICATE_FILE, holder.collection),
      offers: [exportOp(NEW_CERTIFICATE_FILE, waiting.thumbprint)],
    };
  }
  // The certificate is made by this run: its thumbprint is known only once New-ExchangeCertificate ran.
  const keys = holder.keys;
  const keep = keys.filter((key) => Date.parse(key.endDateTime) >= now.getTime());
  const reason = `The new certificate's key is added to ${holder.name}, keeping unexpired keys.`;
  return {
    ...keyUploadDiff(
      holder.id,
      { change: keys.length > 0 ? 'update' : 'create', keep, reason },
      NEW_CERTIFICATE_FILE,
      holder.collection,
    ),
    offers: [exportOp(NEW_CERTIFICATE_FILE, valueRef(NEW_CERTIFICATE, 'Thumbprint'))],
  };
}
