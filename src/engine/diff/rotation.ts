/** Diffs for rotating the Exchange auth certificate: create, stage, publish when already expired, clear the previous one. */
import { type OperationParam, valueRef } from '../../core/plan';
import { isoSeconds } from '../../core/time';
import type {
  ClearPreviousAuthCertificateStep,
  NewAuthCertificateStep,
  PublishAuthCertificateStep,
  RunbookInputs,
  StageAuthCertificateStep,
} from '../../runbooks/types';
import type { StepDiff } from '../plan-types';
import type { ExchangeCertificateView, RotationView } from '../rotation-snapshot';
import type { Snapshot } from '../snapshot';
import { dcParam } from './exchange-objects';
import { emsOp, none } from './operations';

const DAY_MS = 86_400_000;
const AUTH_NAME = /microsoft exchange server auth certificate/i;

/** The certificate New-ExchangeCertificate makes in this run: `$newCertificate.Thumbprint` in later steps. */
export const NEW_CERTIFICATE = 'newCertificate';
/** Its export: the new key's bytes are `$newCertificateFile.FileData`. */
export const NEW_CERTIFICATE_FILE = 'newCertificateFile';
const validAt = (cert: ExchangeCertificateView, now: Date) =>
  Date.parse(cert.notBefore) <= now.getTime() && now.getTime() <= Date.parse(cert.notAfter);

/** The current certificate as the server holds it. */
export function current(view: RotationView): ExchangeCertificateView | undefined {
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
export function renewalPending(view: RotationView, now: Date, days: number): boolean {
  return !view.nextThumbprint && (Boolean(waitingCertificate(view, now)) || renewalDue(view, now, days));
}

/** The answer of every rotation step when the probe could not read the auth configuration. */
export function noView(): StepDiff {
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

/** MonitorExchangeAuthCertificate's "replace required": the current certificate is missing or expired. */
export function replaceRequired(view: RotationView, now: Date): boolean {
  const cert = current(view);
  return !cert || Date.parse(cert.notAfter) <= now.getTime();
}

/**
 * Days from staging to the effective date, as MonitorExchangeAuthCertificate.ps1 chooses them: `leadDays` (30),
 * or 4, 2, 0 when the current certificate has fewer than `leadDays` + 2 whole days left.
 */
export function stagingLeadDays(view: RotationView, now: Date, leadDays: number): number {
  const cert = current(view);
  if (!cert || replaceRequired(view, now)) return 0;
  const life = Math.floor((Date.parse(cert.notAfter) - now.getTime()) / DAY_MS);
  if (life >= leadDays + 2) return leadDays;
  if (life - 4 > 0) return 4;
  if (life - 2 > 0) return 2;
  return 0;
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
  const staged = certificateToStage(view, now, step.renewWithinDays);
  if (!staged) return none('No renewed certificate to stage.');
  const days = stagingLeadDays(view, now, step.leadDays);
  const effective = isoSeconds(new Date(now.getTime() + days * DAY_MS));
  // Set-AuthConfig warns when the effective date is less than 48 hours away; -Force answers it, as the script does.
  const urgent = days < 2;
  const warnings = replaceRequired(view, now)
    ? [
        "The current certificate is missing or expired: the new one is published at once (Microsoft's KB 2617816).",
      ]
    : days < step.leadDays
      ? [
          `The current certificate expires soon: the new one takes effect in ${days} days, not ${step.leadDays}.`,
        ]
      : [];
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
    detail: `Stage ${staged.detail}, effective ${effective} (in ${days} days); the AuthAdmin servicelet publishes it then.`,
    warnings,
  };
}

/** Whether this run publishes at once: the current certificate is gone and a renewed one is staged or on its way. */
function publishesNow(view: RotationView, now: Date, days: number): boolean {
  return replaceRequired(view, now) && (Boolean(view.nextThumbprint) || renewalPending(view, now, days));
}

/** The key holders (service principals of the org's partner applications, the hybrid application) lacking `thumbprint`. */
function missingKey(snap: Snapshot, thumbprint: string): string[] {
  const has = (keys: readonly { customKeyIdentifier: string | null }[]) =>
    keys.some((key) => (key.customKeyIdentifier ?? '').toUpperCase() === thumbprint);
  const principals = [...snap.servicePrincipals.entries()]
    .filter(([appId]) =>
      (snap.partnerApplications ?? []).some((app) => app.applicationIdentifier.toLowerCase() === appId),
    )
    .filter(([, sp]) => !has(sp?.keyCredentials ?? []))
    .map(([appId]) => appId);
  const app = snap.hybridApp?.application;
  return app && !has(app.keyCredentials) ? [...principals, app.displayName] : principals;
}

/** The restarts Microsoft's article for an expired certificate asks for, on every server (not run by hybridops). */
export const EXPIRED_PATH_RESTARTS =
  'On every Exchange server restart the Microsoft Exchange Service Host and the OWA/ECP application pools: ' +
  "Restart-Service -Name 'MSExchangeServiceHost'; Restart-WebAppPool -Name 'MSExchangeOWAAppPool'; Restart-WebAppPool -Name 'MSExchangeECPAppPool'";

export function diffPublishAuthCertificate(
  step: PublishAuthCertificateStep,
  snap: Snapshot,
  inputs: RunbookInputs,
  now: Date,
): StepDiff {
  const view = snap.rotation;
  if (!view) return noView();
  if (!publishesNow(view, now, step.renewWithinDays)) {
    if (!view.nextThumbprint) return none('No staged certificate to publish.');
    return none(
      `${view.nextThumbprint} becomes effective on ${view.nextEffectiveDate ?? 'now'}: the AuthAdmin servicelet publishes it at its first run after that (every 12 hours).`,
    );
  }
  const next = view.nextThumbprint;
  const missing = next ? missingKey(snap, next) : [];
  if (next && missing.length > 0) {
    return none(`${next} must be published now but its key is not on ${missing.join(', ')} yet.`, [
      'Publishing before the key reaches Entra would break OAuth; upload it first.',
    ]);
  }
  return {
    change: 'update',
    operations: [emsOp('Set-AuthConfig', { PublishCertificate: true, ...dcParam(inputs) })],
    detail: `The current certificate ${view.currentThumbprint || '(none)'} is missing or expired: ${next ?? 'the new certificate'} is published at once, once its key is in Entra.`,
    warnings: [EXPIRED_PATH_RESTARTS],
  };
}

export function diffClearPreviousAuthCertificate(
  step: ClearPreviousAuthCertificateStep,
  snap: Snapshot,
  inputs: RunbookInputs,
  now: Date,
): StepDiff {
  const view = snap.rotation;
  if (!view) return noView();
  const clear = emsOp('Set-AuthConfig', { ClearPreviousCertificate: true, ...dcParam(inputs) });
  if (publishesNow(view, now, step.renewWithinDays)) {
    return {
      change: 'update',
      operations: [clear],
      detail: `The expired certificate ${view.currentThumbprint || '(none)'} becomes the previous one: clear it.`,
      warnings: [],
    };
  }
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
    operations: [clear],
    detail: `The previous certificate ${previous} has ${cert ? `expired (${cert.notAfter})` : 'been removed'}: clear it.`,
    warnings: [],
  };
}
