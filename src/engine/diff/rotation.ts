/** Diffs for rotating the Exchange auth certificate: create, stage, upload, publish when due, clear the previous one. */
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
import { keyUploadDiff } from './graph-side';

const DAY_MS = 86_400_000;
const AUTH_NAME = /microsoft exchange server auth certificate/i;

const none = (detail: string, warnings: string[] = []): StepDiff => ({
  change: 'none',
  actions: [],
  detail,
  warnings,
});
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
    return none(
      `The renewed certificate ${waiting.thumbprint} (valid to ${waiting.notAfter}) is waiting to be staged.`,
    );
  const cert = current(view);
  if (!renewalDue(view, now, step.renewWithinDays) && cert) {
    return none(
      `The auth certificate ${cert.thumbprint} is valid to ${cert.notAfter}; renewal starts ${step.renewWithinDays} days before.`,
    );
  }
  return {
    change: 'create',
    actions: [
      {
        kind: 'ems',
        command: {
          cmdlet: 'New-ExchangeCertificate',
          // Services None: the new certificate must not offer to replace the default SMTP certificate.
          params: {
            KeySize: 2048,
            PrivateKeyExportable: true,
            SubjectName: step.subjectName,
            FriendlyName: step.friendlyName,
            DomainName: [],
            Services: 'None',
          },
        },
      },
    ],
    detail: cert
      ? `The auth certificate ${cert.thumbprint} expires on ${cert.notAfter}: a new one is made.`
      : `The auth certificate ${view.currentThumbprint || '(none)'} is not installed: a new one is made.`,
    warnings: [],
  };
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
  const waiting = waitingCertificate(view, now);
  if (!waiting) {
    return renewalDue(view, now, step.renewWithinDays)
      ? {
          change: 'update',
          actions: [],
          detail: `The certificate made by the previous step is staged, effective ${effective}.`,
          warnings: [],
        }
      : none('No renewed certificate to stage.');
  }
  return {
    change: 'update',
    actions: [
      {
        kind: 'ems',
        command: {
          cmdlet: 'Set-AuthConfig',
          params: {
            NewCertificateThumbprint: waiting.thumbprint,
            NewCertificateEffectiveDate: effective,
            ...(urgent ? { Force: true } : {}),
            ...dcParam(inputs),
          },
        },
      },
    ],
    detail: `Stage ${waiting.thumbprint} (valid to ${waiting.notAfter}), effective ${effective}.`,
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
  if (renewalPending(view, now, step.renewWithinDays)) {
    return {
      change: 'update',
      actions: [],
      detail: `The new certificate's key is added to ${step.appName}, keeping unexpired keys.`,
      warnings: [],
    };
  }
  const certificate = view.uploadCertificate;
  if (!certificate) return none('No certificate to upload.', ['The auth certificate could not be exported.']);
  const upload = planKeyUpload(principal.keyCredentials, certificate, now);
  if (upload.change === 'none') {
    // Once the previous certificate has expired its key goes too; the seed's upload only drops keys when adding one.
    const expired = principal.keyCredentials.filter((key) => Date.parse(key.endDateTime) < now.getTime());
    if (expired.length === 0) return none(upload.reason);
    return {
      change: 'delete',
      actions: [
        {
          kind: 'removeExpiredKeys',
          appId: step.appId,
          servicePrincipalId: principal.id,
          expired: expired.map((key) => key.customKeyIdentifier ?? key.keyId),
        },
      ],
      detail: `${upload.reason} ${expired.length} expired key(s) are removed.`,
      warnings: [],
    };
  }
  return keyUploadDiff(step.appId, principal.id, certificate, upload);
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
    actions: [
      {
        kind: 'ems',
        command: { cmdlet: 'Set-AuthConfig', params: { PublishCertificate: true, ...dcParam(inputs) } },
      },
    ],
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
    actions: [
      {
        kind: 'ems',
        command: { cmdlet: 'Set-AuthConfig', params: { ClearPreviousCertificate: true, ...dcParam(inputs) } },
      },
    ],
    detail: `The previous certificate ${previous} has ${cert ? `expired (${cert.notAfter})` : 'been removed'}: clear it.`,
    warnings: [],
  };
}
