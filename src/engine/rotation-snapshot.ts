/** Probing for the auth-certificate rotation: the auth configuration, the server's certificates, the key to upload. */

import type { AuthCertificate } from '../core/entra';
import type { EmsRunner } from '../core/ports';
import type { RunbookStep } from '../runbooks/types';

type Row = Record<string, unknown>;

export interface ExchangeCertificateView {
  readonly thumbprint: string;
  readonly subject: string;
  readonly friendlyName: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly hasPrivateKey: boolean;
}

/** What the rotation steps are planned against. */
export interface RotationView {
  readonly currentThumbprint: string;
  readonly nextThumbprint: string | null;
  readonly nextEffectiveDate: string | null;
  readonly previousThumbprint: string | null;
  readonly certificates: readonly ExchangeCertificateView[];
  /** The certificate the rotation uploads (the staged one, else the current one), exported; null when there is none. */
  readonly uploadCertificate: AuthCertificate | null;
}

const ROTATION_KINDS = new Set([
  'newAuthCertificate',
  'stageAuthCertificate',
  'uploadRotatedAuthCertificate',
  'publishAuthCertificate',
  'clearPreviousAuthCertificate',
]);

/** Whether the step belongs to the rotation runbook. */
export function isRotationStep(step: RunbookStep): boolean {
  return ROTATION_KINDS.has(step.kind);
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const thumb = (value: unknown): string => str(value).replace(/\s+/g, '').toUpperCase();

/** Builds the rotation view from Get-AuthConfig and Get-ExchangeCertificate, exporting the certificate to upload. */
export async function readRotation(
  authConfig: Row | undefined,
  rows: readonly Row[],
  ems: EmsRunner,
  steps: readonly RunbookStep[],
): Promise<RotationView> {
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
  if (!steps.some((step) => step.kind === 'uploadRotatedAuthCertificate') || !certificate) {
    return { ...view, uploadCertificate: null };
  }
  const [result] = await ems.runReads([
    { cmdlet: 'Export-ExchangeCertificate', params: { Thumbprint: wanted, BinaryEncoded: true } },
  ]);
  const derBase64 = result?.ok ? str(result.output[0]?.FileData) : '';
  return {
    ...view,
    uploadCertificate: derBase64
      ? {
          thumbprint: wanted,
          subject: certificate.subject,
          notBefore: certificate.notBefore,
          notAfter: certificate.notAfter,
          derBase64,
        }
      : null,
  };
}
