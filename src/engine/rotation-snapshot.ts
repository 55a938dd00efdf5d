/** Probing for the auth-certificate rotation: the auth configuration, the server's certificates, the key to upload. */

import type { RunbookStep } from '../runbooks/types';
import type { ExchangeCertificateView, RotationView } from './snapshot-types';

export type { ExchangeCertificateView, RotationView } from './snapshot-types';

type Row = Record<string, unknown>;

const ROTATION_KINDS = new Set([
  'newAuthCertificate',
  'stageAuthCertificate',
  'uploadRotatedAuthCertificate',
  'uploadRotatedHybridAppCertificate',
  'publishAuthCertificate',
  'clearPreviousAuthCertificate',
]);

/** Whether the step belongs to the rotation runbook. */
export function isRotationStep(step: RunbookStep): boolean {
  return ROTATION_KINDS.has(step.kind);
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const thumb = (value: unknown): string => str(value).replace(/\s+/g, '').toUpperCase();

/** Builds the rotation view from Get-AuthConfig and Get-ExchangeCertificate. */
export function readRotation(authConfig: Row | undefined, rows: readonly Row[]): RotationView {
  const certificates = rows.map(
    (row): ExchangeCertificateView => ({
      thumbprint: thumb(row.Thumbprint),
      subject: str(row.Subject),
      friendlyName: str(row.FriendlyName),
      notBefore: str(row.NotBefore),
      notAfter: str(row.NotAfter),
      hasPrivateKey: row.HasPrivateKey !== false,
    }),
  );
  const view = {
    currentThumbprint: thumb(authConfig?.CurrentCertificateThumbprint),
    nextThumbprint: thumb(authConfig?.NextCertificateThumbprint) || null,
    nextEffectiveDate: str(authConfig?.NextCertificateEffectiveDate) || null,
    previousThumbprint: thumb(authConfig?.PreviousCertificateThumbprint) || null,
    certificates,
  };
  const wanted = view.nextThumbprint ?? view.currentThumbprint;
  const certificate = certificates.find((cert) => cert.thumbprint === wanted);
  return {
    ...view,
    uploadCertificate: certificate
      ? {
          thumbprint: certificate.thumbprint,
          subject: certificate.subject,
          notBefore: certificate.notBefore,
          notAfter: certificate.notAfter,
        }
      : null,
  };
}
