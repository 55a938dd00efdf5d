/** Diffs for rotating the Exchange auth certificate: create, stage, upload, publish when due, clear the previous one. */
import type { ServicePrincipal } from '../../core/entra';
import { type OperationParam, valueRef } from '../../core/plan';
import { isoSeconds } from '../../core/time';
import { planKeyUpload } from '../../graph/key-upload';
import type {
  ClearPreviousAuthCertificateStep,
  NewAuthCertificateStep,
  PublishAuthCertificateStep,
  RunbookInputs,
  StageAuthCertificateStep,
  UploadRotatedAuthCertificateStep,
} from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { ExchangeCertificateView, RotationView } from '../rotation-snapshot';
import type { Snapshot } from '../snapshot';
import { dcParam } from './exchange-objects';
import { AUTH_CERTIFICATE, keyUploadDiff } from './graph-side';
import { emsOp, exportOp, keyCredentialsPatch } from './operations';

const DAY_MS = 86_400_000;
const AUTH_NAME = /microsoft exchange server auth certificate/i;

const none = (detail: string, warnings: string[] = []): StepDiff => ({
  change: 'none',
  operations: [],
  detail,
  warnings,
});

/** The certificate New-ExchangeCertificate makes in this run: `$newCertificate.Thumbprint` in later steps. */
export const NEW_CERTIFICATE = 'newCertificate';
/** Its export: the new key's bytes are `$newCertificateFile.FileData`. */
export const NEW_CERTIFICATE_FILE = 'newCertificateFile';
const validAt = (cert: ExchangeCertificateView, now: Date) =>
  Date.parse(cert.notBefore) <= now.getTime() && now.getTime() <= Date.parse(cert.notAfter);

function current(view: RotationView): ExchangeCertificateView | undefined {
  return view.certificates.find((cert) => cert.thumbprint === view.currentThumbprint);
}

/** Whether the current certificate is missing, expired or within `days` of expiry. */
export function renewalDue(view: RotationView, now: Date, days: number): boolean {
  const cert = current(view);
  return !cert || Date.parse(cert.notAfter) - now.getTime() <= days * DAY_MS;
}

/** A renewed auth certificate on the server that nothing references yet (made by an earlier run or step). */
export function waitingCertificate(view: RotationView, now: Date): ExchangeCertificateView | undefined {
  const referenced = new Set([view.currentThumbprint, view.nextThumbprint, view.previousThumbprint]);
  const floor = Date.parse(current(view)?.notAfter ?? '1970-01-01T00:00:00Z');
  return view.certificates
    .filter((cert) => !referenced.has(cert.thumbprint) && cert.hasPrivateKey && validAt(cert, now))
    .filter((cert) => AUTH_NAME.test(cert.friendlyName) || AUTH_NAME.test(cert.subject))
    .filter((cert) => Date.parse(cert.notAfter) > floor)
    .sort((a, b) => Date.parse(b.notBefore) - Date.parse(a.notBefore))[0];
}

/** Whether the run will make or stage a new certificate (so later steps plan against it). */
function renewalPending(view: RotationView, now: Date, days: number): boolean {
  return !view.nextThumbprint && (Boolean(waitingCertificate(view, now)) || renewalDue(view, now, days));
}

/** The answer of every rotation step when the probe could not read the auth configuration. */
function noView(): StepDiff {
  return none('The auth configuration was not read.', ['Get-AuthConfig could not be read.']);
}

export function diffNewAuthCertificate(step: NewAuthCertificateStep, snap: Snapshot, now: Date): StepDiff {
  const view = snap.rotation;
  if (!view) return noView();
  if (view.nextThumbprint) return none(`A next certificate ${view.nextThumbprint} is already staged.`);
  const waiting = waitingCertificate(view, now);
  if (waiting)
    return {
      ...none(
        `The renewed certificate ${waiting.thumbprint} (valid to ${waiting.notAfter}) is waiting to be staged.`,
      ),
      found: { [NEW_CERTIFICATE]: { Thumbprint: waiting.thumbprint } },
    };
  const cert = current(view);
  if (!renewalDue(view, now, step.renewWithinDays) && cert) {
    return none(
      `The auth certificate ${cert.thumbprint} is valid to ${cert.notAfter}; renewal starts ${step.renewWithinDays} days before.`,
    );
  }
  return {
    change: 'create',
    operations: [
      // Services None: the new certificate must not offer to replace the default SMTP certificate.
      emsOp(
        'New-ExchangeCertificate',
        {
          KeySize: 2048,
          PrivateKeyExportable: true,
          SubjectName: step.subjectName,
          FriendlyName: step.friendlyName,
          DomainName: [],
          Services: 'None',
        },
        NEW_CERTIFICATE,
      ),
    ],
    detail: cert
      ? `The auth certificate ${cert.thumbprint} expires on ${cert.notAfter}: a new one is made.`
      : `The auth certificate ${view.currentThumbprint || '(none)'} is not installed: a new one is made.`,
    warnings: [],
  };
}

/** The certificate to stage: one waiting on the server, or the one this run makes (`$newCertificate.Thumbprint`). */
function certificateToStage(
  view: RotationView,
  now: Date,
  days: number,
): { thumbprint: OperationParam; detail: string } | null {
  const waiting = waitingCertificate(view, now);
  if (waiting)
    return { thumbprint: waiting.thumbprint, detail: `${waiting.thumbprint} (valid to ${waiting.notAfter})` };
  if (renewalDue(view, now, days))
    return {
      thumbprint: valueRef(NEW_CERTIFICATE, 'Thumbprint'),
      detail: 'the certificate made by the previous step',
    };
  return null;
}

export function diffStageAuthCertificate(
  step: StageAuthCertificateStep,
  snap: Snapshot,
  inputs: RunbookInputs,
  now: Date,
): StepDiff {
  const view = snap.rotation;
  if (!view) return noView();
  if (view.nextThumbprint) {
    return none(`${view.nextThumbprint} is staged, effective ${view.nextEffectiveDate ?? 'now'}.`);
  }
  const cert = current(view);
  const lead = step.leadHours * 3_600_000;
  // Microsoft's guidance leaves 48 hours for every server to pick the certificate up; an expiring one cannot wait.
  const urgent = !cert || Date.parse(cert.notAfter) - now.getTime() <= lead + DAY_MS;
  const effective = isoSeconds(new Date(now.getTime() + (urgent ? 0 : lead)));
  const staged = certificateToStage(view, now, step.renewWithinDays);
  if (!staged) return none('No renewed certificate to stage.');
  return {
    change: 'update',
    operations: [
      emsOp('Set-AuthConfig', {
        NewCertificateThumbprint: staged.thumbprint,
        NewCertificateEffectiveDate: effective,
        ...(urgent ? { Force: true } : {}),
        ...dcParam(inputs),
      }),
    ],
    detail: `Stage ${staged.detail}, effective ${effective}.`,
    warnings: urgent
      ? [
          'The current certificate expires soon: the new one takes effect at once, without the usual 48 hours.',
        ]
      : [],
  };
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
  if (renewalPending(view, now, step.renewWithinDays)) return newKeyUpload(step, principal, view, now);
  const certificate = view.uploadCertificate;
  if (!certificate)
    return none('No certificate to upload.', ['The certificate to upload is not on the server.']);
  const upload = planKeyUpload(principal.keyCredentials, certificate, now);
  if (upload.change === 'none') {
    // Once the previous certificate has expired its key goes too; the seed's upload only drops keys when adding one.
    const expired = principal.keyCredentials.filter((key) => Date.parse(key.endDateTime) < now.getTime());
    if (expired.length === 0) return none(upload.reason);
    const keep = principal.keyCredentials.filter((key) => !expired.includes(key));
    return {
      change: 'delete',
      operations: [keyCredentialsPatch(principal.id, keep, null)],
      detail: `${upload.reason} ${expired.length} expired key(s) are removed: ${expired.map((key) => key.customKeyIdentifier ?? key.keyId).join(', ')}.`,
      warnings: [],
    };
  }
  return {
    ...keyUploadDiff(principal.id, upload, AUTH_CERTIFICATE),
    offers: [exportOp(AUTH_CERTIFICATE, certificate.thumbprint)],
  };
}

/** The renewed certificate's key next to the unexpired ones: exported once (`$newCertificateFile`) for every upload. */
function newKeyUpload(
  step: UploadRotatedAuthCertificateStep,
  principal: ServicePrincipal,
  view: RotationView,
  now: Date,
): StepDiff {
  const waiting = waitingCertificate(view, now);
  if (waiting) {
    const upload = planKeyUpload(principal.keyCredentials, waiting, now);
    if (upload.change === 'none') return none(upload.reason);
    return {
      ...keyUploadDiff(principal.id, upload, NEW_CERTIFICATE_FILE),
      offers: [exportOp(NEW_CERTIFICATE_FILE, waiting.thumbprint)],
    };
  }
  // The certificate is made by this run: its thumbprint is known only once New-ExchangeCertificate ran.
  const keys = principal.keyCredentials;
  const keep = keys.filter((key) => Date.parse(key.endDateTime) >= now.getTime());
  const reason = `The new certificate's key is added to ${step.appName}, keeping unexpired keys.`;
  return {
    ...keyUploadDiff(
      principal.id,
      { change: keys.length > 0 ? 'update' : 'create', keep, reason },
      NEW_CERTIFICATE_FILE,
    ),
    offers: [exportOp(NEW_CERTIFICATE_FILE, valueRef(NEW_CERTIFICATE, 'Thumbprint'))],
  };
}

export function diffPublishAuthCertificate(
  _step: PublishAuthCertificateStep,
  snap: Snapshot,
  inputs: RunbookInputs,
  now: Date,
): StepDiff {
  const view = snap.rotation;
  if (!view) return noView();
  if (!view.nextThumbprint) return none('No staged certificate to publish.');
  const effective = view.nextEffectiveDate;
  if (effective && Date.parse(effective) > now.getTime()) {
    return none(
      `${view.nextThumbprint} becomes effective on ${effective}; plan rotate-auth-cert again then to publish it.`,
    );
  }
  const next = view.nextThumbprint;
  const missing = [...snap.servicePrincipals.entries()]
    .filter(([appId]) =>
      (snap.partnerApplications ?? []).some((app) => app.applicationIdentifier.toLowerCase() === appId),
    )
    .filter(
      ([, sp]) => !sp?.keyCredentials.some((key) => (key.customKeyIdentifier ?? '').toUpperCase() === next),
    )
    .map(([appId]) => appId);
  if (missing.length > 0) {
    return none(`${next} is due but not published: its key is not on ${missing.join(', ')} yet.`, [
      'Publishing before the key reaches Entra would break OAuth; upload it first.',
    ]);
  }
  return {
    change: 'update',
    operations: [emsOp('Set-AuthConfig', { PublishCertificate: true, ...dcParam(inputs) })],
    detail: `${next} is due (effective ${effective ?? 'now'}) and its key is on every service principal: publish it.`,
    warnings: [
      'Afterwards restart MSExchangeServiceHost and the OWA/ECP app pools on every server, as Microsoft advises.',
    ],
  };
}

export function diffClearPreviousAuthCertificate(
  _step: ClearPreviousAuthCertificateStep,
  snap: Snapshot,
  inputs: RunbookInputs,
  now: Date,
): StepDiff {
  const view = snap.rotation;
  if (!view) return noView();
  const previous = view.previousThumbprint;
  if (!previous) return none('No previous certificate is referenced.');
  const cert = view.certificates.find((candidate) => candidate.thumbprint === previous);
  if (cert && Date.parse(cert.notAfter) >= now.getTime()) {
    return none(
      `The previous certificate ${previous} stays referenced until it expires on ${cert.notAfter}.`,
    );
  }
  return {
    change: 'update',
    operations: [emsOp('Set-AuthConfig', { ClearPreviousCertificate: true, ...dcParam(inputs) })],
    detail: `The previous certificate ${previous} has ${cert ? `expired (${cert.notAfter})` : 'been removed'}: clear it.`,
    warnings: [],
  };
}
