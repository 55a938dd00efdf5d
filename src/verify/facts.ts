/** Reading the auth certificates and the service principals' keys out of a probe. */
import type { KeyCredential } from '../core/entra';
import type { OrgProbe } from './probe';
import type { AuthCertificateFacts, CertificateFacts } from './types';

type Row = Record<string, unknown>;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const upper = (value: unknown): string => str(value).replace(/\s+/g, '').toUpperCase();

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `now` to `iso` (negative once past), rounded down. */
export function daysUntil(iso: string, now: Date): number {
  return Math.floor((Date.parse(iso) - now.getTime()) / DAY_MS);
}

function certificateFacts(rows: readonly Row[], thumbprint: string): CertificateFacts | null {
  const row = rows.find((candidate) => upper(candidate.Thumbprint) === thumbprint);
  if (!row) return null;
  return {
    thumbprint,
    subject: str(row.Subject),
    notBefore: str(row.NotBefore),
    notAfter: str(row.NotAfter),
    hasPrivateKey: row.HasPrivateKey !== false,
  };
}

/** The current, next and previous auth certificates as Get-AuthConfig and Get-ExchangeCertificate show them. */
export function authCertificateFacts(probe: OrgProbe): AuthCertificateFacts {
  const config = probe.authConfig;
  const currentThumbprint = upper(config?.CurrentCertificateThumbprint);
  const nextThumbprint = upper(config?.NextCertificateThumbprint);
  const current = currentThumbprint ? certificateFacts(probe.certificates, currentThumbprint) : null;
  const nextCertificate = nextThumbprint ? certificateFacts(probe.certificates, nextThumbprint) : null;
  const effectiveDate = str(config?.NextCertificateEffectiveDate) || null;
  let problem: string | null = null;
  if (!config) problem = 'Get-AuthConfig returned nothing.';
  else if (!currentThumbprint) problem = 'Get-AuthConfig shows no CurrentCertificateThumbprint.';
  else if (!current)
    problem = `The auth certificate ${currentThumbprint} named by Get-AuthConfig is not installed on this server.`;
  return {
    current,
    next: nextThumbprint
      ? {
          ...(nextCertificate ?? {
            thumbprint: nextThumbprint,
            subject: '',
            notBefore: '',
            notAfter: '',
            hasPrivateKey: false,
          }),
          effectiveDate,
        }
      : null,
    previousThumbprint: upper(config?.PreviousCertificateThumbprint) || null,
    problem,
  };
}

/** The keys on a service principal whose thumbprint is `thumbprint`. */
export function keysWithThumbprint(keys: readonly KeyCredential[], thumbprint: string): KeyCredential[] {
  return keys.filter((key) => (key.customKeyIdentifier ?? '').toUpperCase() === thumbprint);
}

/** Same instant, whatever the ISO spelling (`…Z` vs `….000Z`). */
export const sameInstant = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);

/** Every Exchange certificate thumbprint the server holds or the auth config names. */
export function exchangeThumbprints(probe: OrgProbe): Set<string> {
  const facts = authCertificateFacts(probe);
  const all = probe.certificates.map((row) => upper(row.Thumbprint));
  const named = [facts.current?.thumbprint, facts.next?.thumbprint, facts.previousThumbprint];
  return new Set([...all, ...named].filter((value): value is string => Boolean(value)));
}
